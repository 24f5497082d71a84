"""Import-linter contract types for the house's namespace package (see pyproject.toml).

The foundation lives in platform/ without an __init__.py (so that it can never shadow the
standard library's `platform`), which makes `foundation` a namespace package: grimp lists
its modules but not `foundation` itself, and import-linter's contracts refuse a module that
is not in the graph. These contract types add the namespace roots to the graph first.
"""

from __future__ import annotations

import grimp
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.domain.contract import ContractCheck

NAMESPACE_ROOTS = ("foundation",)


class NamespaceAwareAcyclicSiblingsContract(AcyclicSiblingsContract):
    type_name = "namespace_acyclic_siblings"

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        for root in NAMESPACE_ROOTS:
            if root not in graph.modules and any(m.startswith(root + ".") for m in graph.modules):
                graph.add_module(root)
        return super().check(graph, verbose)
