package i18n

// deSetup holds the words of the setup pages in German (Deutsch): the checklist (checklist.<n>), the
// comments of the setup script (script.<n>, top to bottom) and the labels of the PowerShell commands (ps.*), and the
// names of the Microsoft clouds. The commands themselves are not here: they are the same in every language.
var deSetup = map[string]string{
	// Microsoft clouds, by mailer.Cloud.
	"cloud.global":        "Global (kommerziell, GCC)",
	"cloud.usgov-gcchigh": "US-Behörden GCC High",
	"cloud.usgov-dod":     "US-Verteidigungsministerium (DoD)",
	"cloud.china":         "China (21Vianet)",

	// The checklist, in the order of its steps.
	"checklist.oid_unknown":              "die oid des Tokens, hier angezeigt, sobald ein Token abgerufen wurde",
	"checklist.prerequisites.title":      "Mandant und App-Registrierung sind vorhanden",
	"checklist.prerequisites.what":       "Ein Microsoft-365-Mandant mit Exchange Online und eine App-Registrierung in Entra ID für die Anwendung, die Mail sendet. Die Verbindung braucht die Verzeichnis-ID (Mandanten-ID) und die Anwendungs-ID (Client-ID).",
	"checklist.prerequisites.where":      "Microsoft Entra Admin Center → App-Registrierungen (App registrations) → die App → Übersicht",
	"checklist.permission.title":         "SMTP.SendAsApp mit Administratorzustimmung erteilt",
	"checklist.permission.what":          "API-Berechtigungen → Berechtigung hinzufügen → Von meiner Organisation verwendete APIs → Office 365 Exchange Online → Anwendungsberechtigungen → SMTP.SendAsApp, dann „Administratorzustimmung erteilen“. smtpoauth sieht das Ergebnis im roles-Claim des Tokens.",
	"checklist.permission.where":         "Entra Admin Center → App-Registrierungen (App registrations) → die App → API-Berechtigungen (API permissions)",
	"checklist.secret.title":             "Der Wert des geheimen Clientschlüssels (nicht seine ID) ist gespeichert",
	"checklist.secret.what":              "Unter Zertifikate & Geheimnisse zeigt das Portal den Wert eines Schlüssels nur einmal direkt nach dem Erstellen, die geheime ID dagegen immer. Entra braucht den Wert; die ID (eine GUID) ergibt AADSTS7000215.",
	"checklist.secret.where":             "Entra Admin Center → App-Registrierungen (App registrations) → die App → Zertifikate & Geheimnisse (Certificates & secrets)",
	"checklist.service-principal.title":  "Dienstprinzipal in Exchange mit der Objekt-ID der Unternehmensanwendung registriert",
	"checklist.service-principal.what":   "New-ServicePrincipal verknüpft die App mit Exchange. Als -ObjectId gehört die Objekt-ID der Unternehmensanwendung (%s) hinein, nicht die unter App-Registrierungen: die beiden unterscheiden sich, und mit der falschen antwortet Exchange 535 5.7.3 Authentication unsuccessful.",
	"checklist.service-principal.where":  "Entra Admin Center → Unternehmensanwendungen (Enterprise applications) → die App → Übersicht → Objekt-ID",
	"checklist.mailbox-permission.title": "Vollzugriff auf das sendende Postfach (%s)",
	"checklist.mailbox-permission.what":  "Add-MailboxPermission gibt dem Dienstprinzipal das Recht, das in XOAUTH2 unter user= genannte Postfach zu nutzen.",
	"checklist.send-as.title":            "„Senden als“ für die Absenderadresse (%s)",
	"checklist.send-as.what":             "Mail von einer anderen Adresse als dem angemeldeten Postfach braucht „Senden als“ für den Dienstprinzipal; sonst antwortet Exchange nach DATA mit 554 5.2.252 SendAsDenied.",
	"checklist.smtp-auth.title":          "SMTP AUTH für Organisation und Postfach nicht deaktiviert",
	"checklist.smtp-auth.what":           "SmtpClientAuthenticationDisabled sperrt auch OAuth. Bei Organisationen, die nach Januar 2020 angelegt wurden, ist es deaktiviert; die Einstellung am Postfach geht der Organisation vor, ein leerer Wert beim Postfach übernimmt den der Organisation.",
	"checklist.smtp-auth.global_cloud":   "globale Cloud",
	"checklist.live-test.title":          "Live-Test gelingt",
	"checklist.live-test.what":           "Mit den gespeicherten Anmeldeinformationen bei Exchange Online anmelden (und wahlweise senden).",
	"checklist.live-test.where":          "smtpoauth → Jetzt testen",
	"checklist.secret.finding_guid":      "Der gespeicherte Schlüssel hat die Form einer GUID: vermutlich ist es die geheime ID, nicht der Wert.",

	// The setup script's comments, top to bottom.
	"script.1":  "# smtpoauth: Exchange-Online-Einrichtung für SMTP AUTH mit OAuth 2.0 (XOAUTH2), nur App.",
	"script.2":  "# Verbindung: %s",
	"script.3":  "# Die App meldet sich mit einem Zertifikat an (Fingerabdruck %s); hier wird es nicht gebraucht.",
	"script.4":  "# Die App meldet sich mit einem geheimen Clientschlüssel an; hier wird er nicht gebraucht und steht nicht in dieser Datei.",
	"script.5":  "# Teil 1 liest nur. Teil 2 ändert Exchange; jede Änderung prüft vorher, zweimal ausführen schadet nicht.",
	"script.6":  "# Als Exchange-Administrator in PowerShell 7 oder Windows PowerShell 5.1 ausführen.",
	"script.7":  "# Anwendungs-ID (Client-ID)",
	"script.8":  "# Objekt-ID der Unternehmensanwendung (oid des Tokens), NICHT die der App-Registrierung",
	"script.9":  "# das Postfach, als das sich die App anmeldet (XOAUTH2 user=)",
	"script.10": "# die Absenderadresse, die „Senden als“ braucht",
	"script.11": "$ObjectId auf die Objekt-ID unter Entra ID > Unternehmensanwendungen (Enterprise applications) > diese App setzen. smtpoauth trägt sie ein, sobald ein Token abgerufen wurde.",
	"script.12": "# --- Verbinden -------------------------------------------------------------",
	"script.13": "# --- Teil 1: Prüfungen (nur lesend) -----------------------------------------",
	"script.14": "# SMTP AUTH für die Organisation: False = erlaubt. Das gilt für OAuth wie für Basic.",
	"script.15": "# SMTP AUTH für das Postfach: False = erlaubt, True = deaktiviert, leer = Einstellung der Organisation.",
	"script.16": "# Authentifizierungsrichtlinien betreffen nur Basic-Authentifizierung (Benutzername und Passwort). Eine",
	"script.17": "# Richtlinie wie BLOCK-BasicAuth aus der Anleitung sperrt XOAUTH2 nicht: für smtpoauth muss sie nicht weg.",
	"script.18": "# Der Dienstprinzipal, den Exchange für diese App kennt; seine ObjectId muss $ObjectId sein.",
	"script.19": "# --- Teil 2: Änderungen -----------------------------------------------------",
	"script.20": "# 1. Den Dienstprinzipal der App in Exchange mit der Objekt-ID der Unternehmensanwendung registrieren.",
	"script.21": "#    Einer mit der Objekt-ID der App-Registrierung ist die klassische Ursache von 535 5.7.3: ersetzen.",
	"script.22": "Ersetze den Dienstprinzipal mit der Objekt-ID ",
	"script.23": "# 2. Dem Dienstprinzipal Vollzugriff auf das sendende Postfach geben.",
	"script.24": "# 3. Ihm erlauben, als Absenderadresse zu senden.",
	"script.25": "# Nur wenn Teil 1 SmtpClientAuthenticationDisabled True zeigte: SMTP AUTH für dieses Postfach",
	"script.26": "# (geht der Organisation vor) oder für die ganze Organisation einschalten.",
	"script.27": "# Änderungen erreichen Exchange Online nach 15 bis 30 Minuten; danach den Test in smtpoauth wiederholen.",

	// The labels of the setup commands.
	"ps.connect":         "Mit Exchange Online verbinden (das Modul einmal installieren)",
	"ps.register":        "Den Dienstprinzipal der App in Exchange registrieren (die Objekt-ID aus Unternehmensanwendungen)",
	"ps.full_access":     "Ihm Vollzugriff auf das sendende Postfach geben",
	"ps.send_as":         "Ihm erlauben, zu senden als %s",
	"ps.check_smtp_auth": "Prüfen, ob SMTP AUTH erlaubt ist (False = erlaubt; ein leerer Wert beim Postfach übernimmt den der Organisation)",
}
