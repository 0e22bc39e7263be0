package mailer

import "strings"

// Reference pages for the replies below.
const (
	docNDR      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
	docHVE      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/high-volume-mails-m365"
	docRestrict = "https://security.microsoft.com/restrictedentities"
)

// replyCatalogue holds the client-submission replies Exchange Online documents that the first
// catalogue does not, decided from reply code, enhanced code and stage. It is matched before
// the first catalogue, so each rule here must not claim a reply an older row explains better.
var replyCatalogue = []entry{
	{Code: CodeBasicAuthRetired, Doc: docSMTPAuth, reply: replyIs(550, "5.7.30"), temporary: never,
		Title: "Exchange no longer accepts Basic authentication for SMTP", TitleDE: "Exchange nimmt für SMTP keine Basic-Authentifizierung mehr an",
		Explanation:   "550 5.7.30 is Microsoft's answer to a user name and password (Basic) login on client submission once Basic authentication is retired. smtpoauth sends XOAUTH2, so this reply means the login was rewritten on the way or the host is not Exchange Online's OAuth endpoint.",
		ExplanationDE: "550 5.7.30 ist Microsofts Antwort auf eine Anmeldung mit Benutzername und Passwort (Basic) bei der Client-Einlieferung, sobald Basic abgeschaltet ist. smtpoauth sendet XOAUTH2; die Antwort heißt also, dass die Anmeldung unterwegs umgeschrieben wurde oder der Host nicht der OAuth-Endpunkt von Exchange Online ist.",
		steps:         one("Check the SMTP host override; applications that still log in with a password must move to OAuth (XOAUTH2), as this console does.", "Den abweichenden SMTP-Host prüfen; Anwendungen, die sich noch mit Passwort anmelden, müssen auf OAuth (XOAUTH2) umgestellt werden, wie diese Konsole es tut.")},
	{Code: CodeTokenExpiring, Doc: docHVE, reply: replyIs(501, "5.5.127"), temporary: always,
		Title: "Exchange refused a token that is about to expire", TitleDE: "Exchange hat ein Token abgelehnt, das gleich abläuft",
		Explanation:   "Exchange refuses an access token whose remaining lifetime is too short. smtpoauth requests a fresh token for every test, so running the test again sends a new one; an application that caches tokens must renew them before they expire.",
		ExplanationDE: "Exchange lehnt ein Zugriffstoken ab, dessen Restlaufzeit zu kurz ist. smtpoauth fordert für jeden Test ein neues Token an; ein neuer Test sendet also ein frisches. Eine Anwendung, die Token zwischenspeichert, muss sie vor dem Ablauf erneuern.",
		steps:         one("Run the test again; in your application, request a new token some minutes before the old one expires.", "Den Test wiederholen; in der eigenen Anwendung einige Minuten vor Ablauf ein neues Token anfordern.")},
	{Code: CodeXOAUTH2DataInvalid, Doc: docOAuth, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool {
			return c == 501 && (e == "5.5.124" || s == StageAuth && strings.HasPrefix(e, "5.5."))
		},
		Title: "Exchange could not read the XOAUTH2 login data", TitleDE: "Exchange konnte die XOAUTH2-Anmeldedaten nicht lesen",
		Explanation:   "A 501 during authentication means Exchange rejected the login's arguments: the base64 XOAUTH2 string, or the mailbox address in its user= part, is not valid.",
		ExplanationDE: "Ein 501 bei der Anmeldung heißt, dass Exchange die Argumente der Anmeldung abgelehnt hat: die base64-kodierte XOAUTH2-Zeichenkette oder die Postfachadresse in ihrem user=-Teil ist ungültig.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check that the mailbox ("+v.Mailbox+") is a full email address of an existing mailbox, without spaces or a display name.",
				"Prüfen, ob das Postfach ("+v.Mailbox+") eine vollständige E-Mail-Adresse eines bestehenden Postfachs ist, ohne Leerzeichen oder Anzeigenamen.")}}
		}},
	{Code: CodeAuthTypeUnknown, Doc: docOAuth, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool { return c == 504 && (e == "5.7.4" || s == StageAuth) },
		Title: "Exchange does not accept this authentication mechanism here", TitleDE: "Exchange nimmt dieses Anmeldeverfahren hier nicht an",
		Explanation:   "504 5.7.4 \"Unrecognized authentication type\": the mechanism was not offered at that point — typically AUTH before STARTTLS, a mechanism such as PLAIN that Exchange does not offer, or a host that is not the client-submission endpoint. smtpoauth sends AUTH XOAUTH2 only after STARTTLS, so a proxy in between or the host override is the likely cause.",
		ExplanationDE: "504 5.7.4 „Unrecognized authentication type“: das Verfahren wurde an dieser Stelle nicht angeboten – meist AUTH vor STARTTLS, ein Verfahren wie PLAIN, das Exchange nicht anbietet, oder ein Host, der nicht der Einlieferungs-Endpunkt ist. smtpoauth sendet AUTH XOAUTH2 erst nach STARTTLS; wahrscheinlich ist also ein Proxy dazwischen oder der abweichende Host die Ursache.",
		steps:         one("Use smtp.office365.com on port 587 (or the sovereign cloud's host) without a relay in between, and compare the AUTH methods in the transcript's EHLO answer after STARTTLS.", "smtp.office365.com auf Port 587 (oder den Host der nationalen Cloud) ohne Relay dazwischen verwenden und die AUTH-Verfahren in der EHLO-Antwort nach STARTTLS im Protokoll vergleichen.")},
	{Code: CodeSTARTTLSRequired, Doc: docMFD, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool {
			return c == 451 && e == "5.7.3" || c == 530 && e == "5.7.0" && beforeMail(s)
		},
		Title: "Exchange requires STARTTLS before this command", TitleDE: "Exchange verlangt vor diesem Befehl STARTTLS",
		Explanation:   "Exchange Online takes authentication and mail only over an encrypted connection. Exchange words this as 451 5.7.3 (a 4xx code, but retrying without STARTTLS fails again) or 530 5.7.0. smtpoauth always starts TLS, so something on the way hid STARTTLS or the host is not Exchange Online.",
		ExplanationDE: "Exchange Online nimmt Anmeldung und Mail nur über eine verschlüsselte Verbindung an. Exchange sagt das mit 451 5.7.3 (ein 4xx-Code, doch ohne STARTTLS scheitert jeder neue Versuch) oder 530 5.7.0. smtpoauth startet immer TLS; also hat etwas unterwegs STARTTLS verborgen, oder der Host ist nicht Exchange Online.",
		steps:         one("Disable SMTP inspection (\"ESMTP fixup\") on firewalls between the console and Exchange Online, and check the SMTP host override.", "Die SMTP-Prüfung („ESMTP fixup“) auf Firewalls zwischen Konsole und Exchange Online abschalten und den abweichenden SMTP-Host prüfen.")},
	{Code: CodeServiceUnavailable, Doc: docMFD, temporary: always,
		// 421 closes the channel (RFC 5321), whatever the enhanced code; only TLS 1.0/1.1 needs a change.
		reply: func(c int, e, _ string, _ Stage) bool { return c == 421 && e != "4.7.66" },
		Title: "Exchange closed the connection: service not available", TitleDE: "Exchange hat die Verbindung geschlossen: Dienst nicht verfügbar",
		Explanation:   "A 421 reply means the server is closing the connection because the service is not available right now (RFC 5321), for example while a front-end server is being taken out of service. Retrying unchanged usually succeeds.",
		ExplanationDE: "Eine 421-Antwort heißt, dass der Server die Verbindung schließt, weil der Dienst gerade nicht verfügbar ist (RFC 5321), etwa wenn ein Front-End-Server außer Betrieb genommen wird. Ein unveränderter neuer Versuch gelingt meist.",
		steps:         one("Run the test again in a few minutes; check the Microsoft 365 service health page if it persists.", "Den Test in ein paar Minuten wiederholen; hält es an, den Dienststatus von Microsoft 365 prüfen.")},
	{Code: CodeServerBusy, Doc: docNDR, temporary: always,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 4 && enhancedIn(e, "4.7.", 500, 699) },
		Title: "Exchange is busy and asks to try again later", TitleDE: "Exchange ist ausgelastet und bittet um einen späteren Versuch",
		Explanation:   "4.7.500 to 4.7.699 are Exchange Online's \"server busy, please try again later\" throttles. Nothing needs to change; the same request succeeds once the throttle lifts.",
		ExplanationDE: "4.7.500 bis 4.7.699 sind die Drosselungen „Server busy, please try again later“ von Exchange Online. Es muss nichts geändert werden; dieselbe Anfrage gelingt, sobald die Drosselung endet.",
		steps:         one("Run the test again later, and spread bulk sending over time.", "Den Test später wiederholen und Massenversand zeitlich verteilen.")},
	// 5.4.5 is "mail system congestion" in RFC 3463; as a permanent reply it is the daily sending
	// quota (the issue lists it with 5.1.90; no Exchange Online transcript confirms it yet).
	{Code: CodeDailyRecipientLimit, Doc: docLimits, temporary: always,
		reply: func(c int, e, _ string, _ Stage) bool { return e == "5.1.90" || c/100 == 5 && e == "5.4.5" },
		Title: "The mailbox has reached its daily recipient limit", TitleDE: "Das Postfach hat sein tägliches Empfängerlimit erreicht",
		Explanation:   "5.1.90 (or 5.4.5) says the sending mailbox reached its daily limit of message recipients (10,000 recipients in a rolling 24 hours for Exchange Online). Once older sends leave the window, the same message goes through.",
		ExplanationDE: "5.1.90 (oder 5.4.5) meldet, dass das sendende Postfach sein tägliches Limit an Empfängern erreicht hat (bei Exchange Online 10.000 Empfänger in gleitenden 24 Stunden). Sobald ältere Sendungen aus dem Fenster fallen, geht dieselbe Nachricht durch.",
		steps:         one("Wait until the rolling 24-hour window frees up; use a bulk mail service for large volumes.", "Warten, bis das gleitende 24-Stunden-Fenster wieder Platz hat; für große Mengen einen Massenversanddienst nutzen.")},
	{Code: CodeSpamAbuse, Doc: docRestrict, temporary: never,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 5 && enhancedIn(e, "5.7.", 501, 503) },
		Title: "The sending account is banned for spam", TitleDE: "Das sendende Konto ist wegen Spam gesperrt",
		Explanation:   "5.7.501 to 5.7.503 mean Exchange Online Protection detected spam from the account or tenant and blocked its outbound mail.",
		ExplanationDE: "5.7.501 bis 5.7.503 heißen, dass Exchange Online Protection Spam des Kontos oder Mandanten erkannt und seinen Ausgang gesperrt hat.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Secure "+v.Mailbox+" (passwords, app credentials, forwarding rules), then release it under Restricted entities in the Microsoft Defender portal or open a support case.",
				v.Mailbox+" absichern (Passwörter, App-Anmeldedaten, Weiterleitungsregeln), dann im Microsoft-Defender-Portal unter „Eingeschränkte Entitäten“ freigeben oder einen Supportfall eröffnen.")}}
		}},
	{Code: CodeExternalForwarding, Doc: docNDR, reply: func(_ int, e, _ string, _ Stage) bool { return e == "5.7.520" }, temporary: never,
		Title: "The outbound policy forbids automatic external forwarding", TitleDE: "Die Ausgangsrichtlinie verbietet automatische externe Weiterleitung",
		Explanation:   "5.7.520 is Exchange Online's refusal to forward mail automatically to an external address, which the outbound spam policy blocks by default. It is about forwarding rules, not about SMTP AUTH.",
		ExplanationDE: "5.7.520 ist die Weigerung von Exchange Online, Mail automatisch an eine externe Adresse weiterzuleiten, was die Ausgangs-Spamrichtlinie standardmäßig blockiert. Es geht um Weiterleitungsregeln, nicht um SMTP AUTH.",
		steps:         one("Remove the forwarding rule, or allow automatic forwarding for this mailbox in the outbound spam filter policy (Microsoft Defender).", "Die Weiterleitungsregel entfernen oder automatische Weiterleitung für dieses Postfach in der Ausgangs-Spamfilterrichtlinie (Microsoft Defender) erlauben.")},
	{Code: CodeUnregisteredDomain, Doc: docNDR, reply: func(_ int, e, _ string, _ Stage) bool { return e == "5.7.750" }, temporary: never,
		Title: "The tenant may not send from an unregistered domain", TitleDE: "Der Mandant darf nicht von einer nicht registrierten Domäne senden",
		Explanation:   "5.7.750 says the sender's domain is not an accepted domain of the tenant, and Exchange Online blocked sending from unregistered domains.",
		ExplanationDE: "5.7.750 meldet, dass die Domäne des Absenders keine akzeptierte Domäne des Mandanten ist und Exchange Online das Senden von nicht registrierten Domänen gesperrt hat.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Send from an address of a domain the tenant has verified, or add "+v.From+"'s domain as an accepted domain in the Microsoft 365 admin center.",
				"Von einer Adresse einer im Mandanten verifizierten Domäne senden oder die Domäne von "+v.From+" im Microsoft 365 Admin Center als akzeptierte Domäne hinzufügen.")}}
		}},
	{Code: CodeTenantBlocked, Doc: docNDR, temporary: never,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 5 && enhancedIn(e, "5.7.", 700, 799) },
		Title: "Exchange Online refuses the tenant's outbound mail", TitleDE: "Exchange Online verweigert den ausgehenden Mailverkehr des Mandanten",
		Explanation:   "5.7.7xx replies are tenant-wide blocks: the tenant exceeded a sending threshold, is new or has a low reputation, or its traffic is not accepted. No setting of the app or mailbox changes that.",
		ExplanationDE: "5.7.7xx-Antworten sind Sperren für den ganzen Mandanten: er hat eine Sendeschwelle überschritten, ist neu oder hat einen schlechten Ruf, oder sein Verkehr wird nicht angenommen. Keine Einstellung von App oder Postfach ändert das.",
		steps:         one("Check the tenant in the Microsoft Defender portal (Restricted entities, outbound spam alerts) and open a Microsoft support case quoting the reply.", "Den Mandanten im Microsoft-Defender-Portal prüfen (eingeschränkte Entitäten, Warnungen zu ausgehendem Spam) und einen Microsoft-Supportfall mit der zitierten Antwort eröffnen.")},
}

// beforeMail: the stages before a message transaction starts.
func beforeMail(s Stage) bool {
	return s == StageBanner || s == StageEHLO || s == StageSTARTTLS || s == StageTLS || s == StageAuth
}

// enhancedIn reports whether an enhanced code is prefix+N with lo <= N <= hi, e.g. 4.7.500–4.7.699.
func enhancedIn(enhanced, prefix string, lo, hi int) bool {
	rest, ok := strings.CutPrefix(enhanced, prefix)
	if !ok || rest == "" {
		return false
	}
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
	}
	return n >= lo && n <= hi
}
