package mailer

import (
	"regexp"
	"strings"
)

// A reply no catalogue entry knows is still explained by its enhanced status code (RFC 3463,
// "Enhanced Mail System Status Codes"; RFC 3207, RFC 4954 and RFC 5248 add details): the class
// says permanent or transient, the subject what kind of problem, the detail which one.

var enhancedInQuote = regexp.MustCompile(`^\d{3} ([245])\.(\d{1,3})\.(\d{1,3})\b`)

// classCode is the diagnosis for a reply's subject, or CodeUnknownReply without a known subject.
func classCode(enhanced string) string {
	parts := strings.Split(enhanced, ".")
	if len(parts) != 3 {
		return CodeUnknownReply
	}
	code, ok := map[string]string{
		"0": CodeReplyOther, "1": CodeReplyAddressing, "2": CodeReplyMailbox, "3": CodeReplyMailSystem,
		"4": CodeReplyNetwork, "5": CodeReplyProtocol, "6": CodeReplyContent, "7": CodeReplySecurity,
	}[parts[1]]
	if !ok {
		return CodeUnknownReply
	}
	return code
}

// rfcDetails names each subject.detail in English and German.
var rfcDetails = map[string][2]string{
	"0.0":  {"other undefined status", "sonstiger, nicht näher bestimmter Status"},
	"1.0":  {"other address status", "sonstiger Adressstatus"},
	"1.1":  {"bad destination mailbox address", "ungültige Zielpostfachadresse"},
	"1.2":  {"bad destination system address", "ungültige Zielsystemadresse"},
	"1.3":  {"bad destination mailbox address syntax", "fehlerhafte Syntax der Zielpostfachadresse"},
	"1.4":  {"destination mailbox address ambiguous", "mehrdeutige Zielpostfachadresse"},
	"1.5":  {"destination address valid", "Zieladresse gültig"},
	"1.6":  {"destination mailbox has moved, no forwarding address", "Zielpostfach umgezogen, keine Weiterleitungsadresse"},
	"1.7":  {"bad sender's mailbox address syntax", "fehlerhafte Syntax der Absenderadresse"},
	"1.8":  {"bad sender's system address", "ungültige Systemadresse des Absenders"},
	"2.0":  {"other or undefined mailbox status", "sonstiger Postfachstatus"},
	"2.1":  {"mailbox disabled, not accepting messages", "Postfach deaktiviert, nimmt keine Nachrichten an"},
	"2.2":  {"mailbox full", "Postfach voll"},
	"2.3":  {"message length exceeds administrative limit", "Nachricht größer als das festgelegte Limit"},
	"2.4":  {"mailing list expansion problem", "Problem beim Auflösen einer Verteilerliste"},
	"3.0":  {"other or undefined mail system status", "sonstiger Status des Mailsystems"},
	"3.1":  {"mail system full", "Mailsystem voll"},
	"3.2":  {"system not accepting network messages", "System nimmt keine Nachrichten aus dem Netz an"},
	"3.3":  {"system not capable of selected features", "System beherrscht die gewählten Funktionen nicht"},
	"3.4":  {"message too big for system", "Nachricht zu groß für das System"},
	"3.5":  {"system incorrectly configured", "System falsch konfiguriert"},
	"4.0":  {"other or undefined network or routing status", "sonstiger Netz- oder Routingstatus"},
	"4.1":  {"no answer from host", "keine Antwort vom Host"},
	"4.2":  {"bad connection", "gestörte Verbindung"},
	"4.3":  {"directory server failure", "Fehler des Verzeichnisservers"},
	"4.4":  {"unable to route", "keine Route möglich"},
	"4.5":  {"mail system congestion", "Mailsystem überlastet"},
	"4.6":  {"routing loop detected", "Routing-Schleife erkannt"},
	"4.7":  {"delivery time expired", "Zustellfrist abgelaufen"},
	"5.0":  {"other or undefined protocol status", "sonstiger Protokollstatus"},
	"5.1":  {"invalid command", "ungültiger Befehl"},
	"5.2":  {"syntax error", "Syntaxfehler"},
	"5.3":  {"too many recipients", "zu viele Empfänger"},
	"5.4":  {"invalid command arguments", "ungültige Befehlsargumente"},
	"5.5":  {"wrong protocol version", "falsche Protokollversion"},
	"5.6":  {"authentication exchange line too long", "Zeile des Anmeldedialogs zu lang"},
	"6.0":  {"other or undefined media error", "sonstiger Medienfehler"},
	"6.1":  {"media not supported", "Medientyp nicht unterstützt"},
	"6.2":  {"conversion required and prohibited", "Konvertierung nötig, aber untersagt"},
	"6.3":  {"conversion required but not supported", "Konvertierung nötig, aber nicht unterstützt"},
	"6.4":  {"conversion with loss performed", "verlustbehaftete Konvertierung durchgeführt"},
	"6.5":  {"conversion failed", "Konvertierung fehlgeschlagen"},
	"7.0":  {"other or undefined security status (also: authentication required, or a temporary authentication failure)", "sonstiger Sicherheitsstatus (auch: Anmeldung erforderlich oder vorübergehender Anmeldefehler)"},
	"7.1":  {"delivery not authorized, message refused", "Zustellung nicht erlaubt, Nachricht abgelehnt"},
	"7.2":  {"mailing list expansion prohibited", "Auflösen der Verteilerliste untersagt"},
	"7.3":  {"security conversion required but not possible", "Sicherheitsumwandlung nötig, aber nicht möglich"},
	"7.4":  {"security features not supported", "Sicherheitsfunktionen nicht unterstützt"},
	"7.5":  {"cryptographic failure", "kryptografischer Fehler"},
	"7.6":  {"cryptographic algorithm not supported", "kryptografisches Verfahren nicht unterstützt"},
	"7.7":  {"message integrity failure", "Integritätsfehler der Nachricht"},
	"7.8":  {"authentication credentials invalid", "Anmeldedaten ungültig"},
	"7.9":  {"authentication mechanism is too weak", "Anmeldeverfahren zu schwach"},
	"7.11": {"encryption required for requested authentication mechanism", "Verschlüsselung für das gewählte Anmeldeverfahren nötig"},
}

// explainClass says what an otherwise unknown reply is: its class, and its detail when RFC 3463
// or its successors name it (Exchange uses many details of its own, such as 5.7.139).
func explainClass(d *Diagnosis, base string, de bool) string {
	m := enhancedInQuote.FindStringSubmatch(d.Quote)
	if m == nil {
		return base
	}
	status := m[1] + "." + m[2] + "." + m[3]
	var class string
	switch m[1] {
	case "4":
		class = t(de, "a transient failure (class 4: the same request may succeed later)", "ein vorübergehender Fehler (Klasse 4: dieselbe Anfrage kann später gelingen)")
	case "5":
		class = t(de, "a permanent failure (class 5: repeating the same request will fail again)", "ein dauerhafter Fehler (Klasse 5: dieselbe Anfrage scheitert wieder)")
	default:
		class = t(de, "a success status (class 2)", "ein Erfolgsstatus (Klasse 2)")
	}
	out := t(de, "The enhanced status code "+status+" marks "+class+". ", "Der erweiterte Statuscode "+status+" kennzeichnet "+class+". ") + base
	if name, ok := rfcDetails[m[2]+"."+m[3]]; ok {
		out += t(de, " The standard names detail "+m[2]+"."+m[3]+" \""+name[0]+"\".", " Die Norm nennt das Detail "+m[2]+"."+m[3]+" „"+name[1]+"“.")
	} else {
		out += t(de, " Detail "+m[3]+" is Exchange's own, not one the standard names; search Microsoft's documentation for "+status+".",
			" Das Detail "+m[3]+" ist ein eigenes von Exchange, nicht eines der Norm; in der Microsoft-Dokumentation nach "+status+" suchen.")
	}
	return out
}

// classCatalogue explains each RFC 3463 subject and what to try.
var classCatalogue = []entry{
	{Code: CodeReplyOther, Doc: docMFD, Title: "Exchange refused with an unspecified status", TitleDE: "Exchange hat mit einem nicht näher bestimmten Status abgelehnt",
		Explanation:   "Exchange gave no more specific reason than the reply's own words, quoted below.",
		ExplanationDE: "Exchange hat keinen genaueren Grund genannt als den Wortlaut der Antwort, der unten steht.",
		steps: one("Read the quoted reply; if it names a setting, fix it and run the test again. Otherwise attach this run's evidence pack to a support ticket.",
			"Die zitierte Antwort lesen; nennt sie eine Einstellung, diese korrigieren und den Test wiederholen. Sonst das Beweispaket dieses Tests an ein Support-Ticket hängen.")},
	{Code: CodeReplyAddressing, Doc: docMFD, Title: "Exchange refused an address (sender or recipient)", TitleDE: "Exchange hat eine Adresse abgelehnt (Absender oder Empfänger)",
		Explanation:   "The reply's subject is addressing (X.1.x): the sender or recipient address is wrong, unknown or not allowed.",
		ExplanationDE: "Das Thema der Antwort ist die Adressierung (X.1.x): Absender- oder Empfängeradresse ist falsch, unbekannt oder nicht erlaubt.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check the sender ("+v.From+") and the test recipient's address for typos, and that the sender is an address of "+v.Mailbox+".",
				"Absender ("+v.From+") und Adresse des Testempfängers auf Tippfehler prüfen, und ob der Absender eine Adresse von "+v.Mailbox+" ist.")}}
		}},
	{Code: CodeReplyMailbox, Doc: docLimits, Title: "Exchange reported a problem with a mailbox", TitleDE: "Exchange meldet ein Problem mit einem Postfach",
		Explanation:   "The reply's subject is a mailbox (X.2.x): disabled, full, or over a size limit.",
		ExplanationDE: "Das Thema der Antwort ist ein Postfach (X.2.x): deaktiviert, voll oder über einem Größenlimit.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check that "+v.Mailbox+" is enabled and licensed and has free space.", "Prüfen, ob "+v.Mailbox+" aktiviert und lizenziert ist und freien Speicher hat.")}}
		}},
	{Code: CodeReplyMailSystem, Doc: docMFD, Title: "Exchange reported a problem of its mail system", TitleDE: "Exchange meldet ein Problem seines Mailsystems",
		Explanation:   "The reply's subject is the mail system (X.3.x): full, not accepting messages, or unable to do what was asked.",
		ExplanationDE: "Das Thema der Antwort ist das Mailsystem (X.3.x): voll, nimmt nichts an oder kann das Verlangte nicht.",
		steps:         one("If the reply is transient, run the test again later; otherwise check the Microsoft 365 service health page.", "Ist die Antwort vorübergehend, den Test später wiederholen; sonst den Dienststatus von Microsoft 365 prüfen.")},
	{Code: CodeReplyNetwork, Doc: docMFD, Title: "Exchange reported a network or routing problem", TitleDE: "Exchange meldet ein Netz- oder Routingproblem",
		Explanation:   "The reply's subject is network or routing (X.4.x): a host did not answer, a route is missing, or the system is congested.",
		ExplanationDE: "Das Thema der Antwort ist Netz oder Routing (X.4.x): ein Host antwortete nicht, eine Route fehlt oder das System ist überlastet.",
		steps:         one("Run the test again later; congestion and routing problems usually pass. If it persists, check the Microsoft 365 service health page.", "Den Test später wiederholen; Überlastung und Routingprobleme vergehen meist. Hält es an, den Dienststatus von Microsoft 365 prüfen.")},
	{Code: CodeReplyProtocol, Doc: docMFD, Title: "Exchange refused a command or its arguments", TitleDE: "Exchange hat einen Befehl oder seine Argumente abgelehnt",
		Explanation:   "The reply's subject is the SMTP protocol (X.5.x): a command, its syntax or its arguments were not accepted.",
		ExplanationDE: "Das Thema der Antwort ist das SMTP-Protokoll (X.5.x): ein Befehl, seine Syntax oder seine Argumente wurden nicht angenommen.",
		steps:         one("Check the step named above in the transcript; a proxy or firewall that rewrites SMTP (\"ESMTP fixup\") also causes this.", "Den oben genannten Schritt im Protokoll ansehen; auch ein Proxy oder eine Firewall, die SMTP umschreibt („ESMTP fixup“), verursacht das.")},
	{Code: CodeReplyContent, Doc: docMFD, Title: "Exchange refused the message content", TitleDE: "Exchange hat den Inhalt der Nachricht abgelehnt",
		Explanation:   "The reply's subject is the message's media or conversion (X.6.x).",
		ExplanationDE: "Das Thema der Antwort ist Medientyp oder Konvertierung der Nachricht (X.6.x).",
		steps:         one("Send the test without attachments or unusual encodings, and check the message size.", "Den Test ohne Anhänge oder ungewöhnliche Kodierungen senden und die Nachrichtengröße prüfen.")},
	{Code: CodeReplySecurity, Doc: docOAuth, Title: "Exchange refused for a security or policy reason", TitleDE: "Exchange hat aus einem Sicherheits- oder Richtliniengrund abgelehnt",
		Explanation:   "The reply's subject is security or policy (X.7.x): authentication, permission, encryption or an anti-spam or tenant policy.",
		ExplanationDE: "Das Thema der Antwort ist Sicherheit oder Richtlinie (X.7.x): Anmeldung, Berechtigung, Verschlüsselung oder eine Antispam- oder Mandantenrichtlinie.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check the app's permission on "+v.Mailbox+" and Send As for "+v.From+", and look for the reply's code in the Exchange admin center's message trace and in Microsoft Defender.",
				"Die Berechtigung der App auf "+v.Mailbox+" und „Senden als“ für "+v.From+" prüfen und den Code der Antwort in der Nachrichtenablaufverfolgung des Exchange Admin Centers und in Microsoft Defender suchen.")}}
		}},
}
