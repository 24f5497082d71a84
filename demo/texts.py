"""German page texts of the demo: start page, Impressum, Datenschutz, Barrierefreiheit.

These are content, not interface strings, so they are plain German (editors change them in
the Wagtail admin). Operators of a real installation must replace the operator details.
"""

from __future__ import annotations

from html import escape


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def section(heading: str, body_html: str) -> dict:
    return {"type": "section", "value": {"heading": heading, "body": body_html}}


def bullet_list(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


TOC = {"type": "table_of_contents", "value": None}

HOME_TITLE = "Mitreden in der Region Hannover"
HOME_INTRO = paragraphs(
    "Auf dieser Plattform gestalten Einwohnerinnen und Einwohner, Vereine, Beratungsstellen und "
    "Verwaltung gemeinsam, wie Integration in den 21 Städten und Gemeinden der Region Hannover "
    "gelingt: mit Vorschlägen, Diskussionen, Foren vor Ort und einer nachvollziehbaren fachlichen "
    "Einschätzung jedes Vorschlags.",
    "Dies ist eine Demo-Installation. Sie zeigt das Integrationskonzept der Region Hannover von "
    "2016 mit seinen echten Daten und eine erfundene Fortschreibung, bei der Sie gerade mitmachen "
    "können.",
)

IMPRESSUM_INTRO = paragraphs(
    "Diese Website ist eine Demonstration der Open-Source-Beteiligungsplattform Mitreden. "
    "Ihre Inhalte stammen aus dem Integrationskonzept der Region Hannover (Stand 27.09.2016)."
)
IMPRESSUM_BODY = [
    section(
        "Herausgeberin der Demo-Inhalte",
        "<p>Region Hannover<br>Der Regionspräsident<br>Service Personal und Organisation – "
        "Koordinierungsstelle Integration<br>Hildesheimer Straße 20<br>30169 Hannover</p>"
        + paragraphs(
            "Die Region Hannover ist eine Körperschaft des öffentlichen Rechts. Sie ist Herausgeberin "
            "des Integrationskonzepts, dessen Texte, Daten und Termine diese Demo zeigt. Die Demo "
            "selbst wird nicht von der Region Hannover betrieben; bitte richten Sie Fragen zur Demo "
            "nicht an die Region Hannover."
        ),
    ),
    section(
        "Quelle der Inhalte",
        paragraphs(
            "Vielfalt und Zusammenhalt – Integrationskonzept der Region Hannover. Redaktion: Region "
            "Hannover, Koordinierungsstelle Integration. Stand: 27.09.2016.",
            "Die Beteiligung „Integrationskonzept – Fortschreibung 2027 (Demo)“ ist erfunden. Sie "
            "dient nur dazu, die Funktionen der Plattform auszuprobieren.",
        ),
    ),
    section(
        "Betrieb einer eigenen Installation",
        paragraphs(
            "Wer Mitreden für ein eigenes Beteiligungsverfahren betreibt, ersetzt dieses Impressum "
            "durch die Angaben der verantwortlichen Stelle: Name und Anschrift, Vertretungsberechtigte, "
            "Kontaktmöglichkeiten per E-Mail und Telefon sowie die für den Inhalt verantwortliche Person."
        ),
    ),
    section(
        "Haftung für Links",
        paragraphs(
            "Diese Website enthält Verweise auf Websites Dritter. Für deren Inhalte sind allein deren "
            "Anbieter verantwortlich. Zum Zeitpunkt der Verlinkung waren keine Rechtsverstöße erkennbar; "
            "werden uns solche bekannt, entfernen wir den Verweis."
        ),
    ),
]

DATENSCHUTZ_INTRO = paragraphs(
    "Der Schutz Ihrer Daten ist uns wichtig. Hier erfahren Sie, welche personenbezogenen Daten "
    "diese Beteiligungsplattform verarbeitet, wozu, wie lange und welche Rechte Sie haben."
)
DATENSCHUTZ_BODY = [
    TOC,
    section(
        "Verantwortliche Stelle",
        paragraphs(
            "Verantwortlich im Sinne der Datenschutz-Grundverordnung (DSGVO) ist die Stelle, die diese "
            "Installation betreibt (siehe Impressum). In dieser Demo-Installation werden keine Daten "
            "an die Region Hannover übermittelt.",
            "Betreiberinnen und Betreiber einer eigenen Installation nennen hier ihre Anschrift und die "
            "Kontaktdaten ihrer oder ihres Datenschutzbeauftragten.",
        ),
    ),
    section(
        "Besuch der Website",
        paragraphs(
            "Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Daten: IP-Adresse, "
            "Datum und Uhrzeit, aufgerufene Adresse, übertragene Datenmenge und die Angaben Ihres "
            "Browsers. Sie dienen der sicheren Auslieferung der Website und der Abwehr von Angriffen "
            "(Art. 6 Abs. 1 Buchst. e DSGVO). Server-Protokolle werden nach spätestens sieben Tagen "
            "gelöscht.",
            "Die Website lädt keine Schriften, Skripte oder Bilder von fremden Servern, verwendet keine "
            "Analyse- oder Werbedienste und bindet keine sozialen Netzwerke ein.",
        ),
    ),
    section(
        "Cookies",
        paragraphs(
            "Wir setzen nur technisch notwendige Cookies: ein Sitzungs-Cookie, solange Sie angemeldet "
            "sind, ein Cookie zum Schutz von Formularen vor Missbrauch (CSRF) und – wenn Sie die Sprache "
            "wechseln – ein Cookie mit Ihrer Sprachwahl. Eine Einwilligung ist dafür nicht erforderlich "
            "(§ 25 Abs. 2 Nr. 2 TDDDG)."
        ),
    ),
    section(
        "Benutzerkonto",
        paragraphs(
            "Für ein Konto benötigen wir Ihre E-Mail-Adresse und ein Passwort; freiwillig sind ein "
            "Anzeigename, Ihre Stadt oder Gemeinde und Ihre bevorzugte Sprache. Die E-Mail-Adresse "
            "bestätigen Sie über einen Link, damit niemand in Ihrem Namen teilnimmt. Passwörter "
            "speichern wir nur als sicheren Hash-Wert.",
            "Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO), die Sie jederzeit "
            "widerrufen können, indem Sie Ihr Konto löschen.",
        ),
    ),
    section(
        "Beiträge: Vorschläge, Kommentare, Unterstützungen",
        paragraphs(
            "Vorschläge, Kommentare und Forenbeiträge sind öffentlich und erscheinen mit Ihrem "
            "Anzeigenamen – ohne Anzeigenamen als „Teilnehmende Person“. Ihre E-Mail-Adresse wird "
            "nie veröffentlicht. Welche Vorschläge Sie unterstützen, zeigen wir nur als Gesamtzahl.",
            "Die zuständigen Fachbereiche der Verwaltung sehen die Vorschläge, die ihnen zur fachlichen "
            "Einschätzung zugewiesen sind, ebenfalls nur mit dem Anzeigenamen. Die Koordinierungsstelle "
            "moderiert die Beiträge nach den Regeln der Plattform.",
        ),
    ),
    section(
        "Benachrichtigungen",
        paragraphs(
            "Wenn Sie es in Ihrem Profil eingestellt haben, benachrichtigen wir Sie in der Plattform "
            "oder per E-Mail über Kommentare zu Ihren Vorschlägen und über deren Bearbeitungsstand. "
            "Sie können jede Benachrichtigung im Profil abschalten."
        ),
    ),
    section(
        "Befragungen",
        paragraphs(
            "Einladungsbefragungen von Einrichtungen werden über einen persönlichen Zugangslink "
            "beantwortet; der Link wird nur verschlüsselt gespeichert. Offene Befragungen werten wir "
            "nur zusammengefasst aus."
        ),
    ),
    section(
        "Speicherdauer",
        paragraphs(
            "Kontodaten speichern wir, bis Sie Ihr Konto löschen. Beim Löschen entfernen wir Ihre "
            "persönlichen Angaben; Ihre Beiträge bleiben als „Gelöschtes Konto“ stehen, damit "
            "Diskussionen und Ergebnisse des Verfahrens nachvollziehbar bleiben. E-Mail-Benachrichtigungen "
            "werden nach dem Versand nicht aufbewahrt."
        ),
    ),
    section(
        "Ihre Rechte",
        bullet_list(
            "Auskunft über Ihre Daten (Art. 15 DSGVO) – im Profil können Sie Ihre Daten jederzeit "
            "herunterladen,",
            "Berichtigung (Art. 16 DSGVO) – die meisten Angaben ändern Sie selbst im Profil,",
            "Löschung (Art. 17 DSGVO) – über „Konto löschen“ im Profil,",
            "Einschränkung der Verarbeitung (Art. 18 DSGVO),",
            "Datenübertragbarkeit (Art. 20 DSGVO),",
            "Widerspruch gegen die Verarbeitung (Art. 21 DSGVO),",
            "Widerruf einer Einwilligung mit Wirkung für die Zukunft (Art. 7 Abs. 3 DSGVO).",
        )
        + paragraphs(
            "Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren, in "
            "Niedersachsen bei der Landesbeauftragten für den Datenschutz Niedersachsen."
        ),
    ),
]

BARRIEREFREIHEIT_INTRO = paragraphs(
    "Die Betreiberin dieser Website ist bemüht, sie im Einklang mit dem Niedersächsischen "
    "Behindertengleichstellungsgesetz (NBGG) und der Barrierefreie-Informationstechnik-Verordnung "
    "(BITV 2.0) barrierefrei zugänglich zu machen. Diese Erklärung gilt für die Demo-Installation "
    "der Beteiligungsplattform Mitreden."
)
BARRIEREFREIHEIT_BODY = [
    TOC,
    section(
        "Stand der Vereinbarkeit mit den Anforderungen",
        paragraphs(
            "Diese Website ist mit den Anforderungen der BITV 2.0 beziehungsweise der Norm EN 301 549 "
            "(die die Erfolgskriterien der WCAG 2.1 auf den Stufen A und AA umfasst) teilweise vereinbar. "
            "Die Website wurde noch nicht durch eine unabhängige Prüfstelle getestet."
        ),
    ),
    section(
        "Was bereits umgesetzt ist",
        bullet_list(
            "Alle Seiten lassen sich vollständig mit der Tastatur bedienen; ein Link „Zum Inhalt "
            "springen“ führt direkt zum Hauptinhalt, und der Tastaturfokus ist deutlich sichtbar.",
            "Überschriften, Listen, Navigationsbereiche und Formularbeschriftungen sind semantisch "
            "ausgezeichnet; jede Seite hat genau eine Hauptüberschrift.",
            "Fehlermeldungen in Formularen stehen beim betroffenen Feld und sind mit ihm verknüpft; "
            "Ihre Eingaben bleiben erhalten.",
            "Die Phase eines Verfahrens wird nicht nur farblich, sondern auch in Textform angezeigt.",
            "Texte und Bedienelemente erfüllen die Kontrastanforderungen; die Seiten lassen sich bis "
            "400 Prozent vergrößern und funktionieren ohne JavaScript.",
        ),
    ),
    section(
        "Nicht barrierefreie Inhalte",
        bullet_list(
            "Die Texte des Integrationskonzepts von 2016 sind in Fachsprache verfasst; eine Fassung in "
            "Leichter Sprache und eine Erläuterung in Deutscher Gebärdensprache liegen noch nicht vor.",
            "Die Oberfläche ist auf Deutsch und Englisch verfügbar, die Inhalte des Konzepts nur auf Deutsch.",
            "Von Teilnehmenden hochgeladene Dokumente und Beiträge können Barrieren enthalten, auf die "
            "wir keinen unmittelbaren Einfluss haben.",
        ),
    ),
    section(
        "Erstellung dieser Erklärung",
        paragraphs(
            "Die Erklärung beruht auf einer Selbstbewertung der Entwicklerinnen und Entwickler sowie "
            "auf automatisierten Prüfungen, die bei jeder Änderung der Software laufen."
        ),
    ),
    section(
        "Barrieren melden: Feedback und Kontakt",
        paragraphs(
            "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns an die im "
            "Impressum genannte Stelle. Wir antworten innerhalb von sechs Wochen und nennen Ihnen, wie "
            "und bis wann wir die Barriere beheben oder Ihnen die Inhalte in anderer Form zugänglich "
            "machen.",
            "In dieser Demo-Installation werden Meldungen nicht bearbeitet. Betreiberinnen und "
            "Betreiber einer eigenen Installation nennen hier eine E-Mail-Adresse und eine "
            "Telefonnummer für Rückmeldungen.",
        ),
    ),
    section(
        "Schlichtungsverfahren",
        paragraphs(
            "Wenn auch nach Ihrer Rückmeldung keine zufriedenstellende Lösung gefunden wurde, können "
            "Sie sich an die Schlichtungsstelle nach dem Niedersächsischen "
            "Behindertengleichstellungsgesetz beim Landesbeauftragten für Menschen mit Behinderungen "
            "wenden. Das Schlichtungsverfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand."
        ),
    ),
]
