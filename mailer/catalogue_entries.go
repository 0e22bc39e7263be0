package mailer

import "strings"

// catalogue is ordered: for SMTP replies the first matching row wins, so specific rows come
// before the general ones of the same code. Every row has its German beside its English.
var catalogue = []entry{
	{Code: CodeInputInvalid, Title: "The connection settings are incomplete or malformed", TitleDE: "Die Verbindungsdaten sind unvollständig oder fehlerhaft",
		Explanation: "smtpoauth did not contact Microsoft because a setting is not valid.", ExplanationDE: "smtpoauth hat Microsoft nicht kontaktiert, weil eine Einstellung ungültig ist."},
	{Code: CodeInternal, Title: "smtpoauth could not run the test", TitleDE: "smtpoauth konnte den Test nicht ausführen",
		Explanation: "An unexpected error stopped the test before Microsoft gave an answer.", ExplanationDE: "Ein unerwarteter Fehler hat den Test beendet, bevor Microsoft antwortete."},

	// Entra ID token errors (Microsoft Learn, "Microsoft Entra authentication and authorization error codes").
	{Code: CodeTokenTenantNotFound, Doc: docCC,
		Title: "Entra ID does not know this tenant", TitleDE: "Entra ID kennt diesen Mandanten nicht",
		Explanation:   "The tenant ID or domain does not exist in this cloud. Either it has a typo, or the tenant lives in another Microsoft cloud (for example US Government or China).",
		ExplanationDE: "Die Mandanten-ID oder Domäne gibt es in dieser Cloud nicht. Entweder ist sie vertippt, oder der Mandant liegt in einer anderen Microsoft-Cloud (etwa US Government oder China).",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Copy the Directory (tenant) ID from the Microsoft Entra admin center → Overview, and paste it into the profile.", "Die Verzeichnis-ID (Mandanten-ID) im Microsoft Entra Admin Center unter Übersicht kopieren und in die Verbindung einfügen.")},
				{Text: t(de, "If the tenant is in a sovereign cloud, choose that cloud in the profile.", "Liegt der Mandant in einer nationalen Cloud, diese Cloud in der Verbindung wählen.")}}
		}},
	{Code: CodeTokenTenantMalformed, Doc: docCC,
		Title: "The tenant value is not a tenant ID or domain", TitleDE: "Der Mandant ist weder eine Mandanten-ID noch eine Domäne",
		Explanation:   "Entra ID could not read the tenant as a GUID or a DNS name. A placeholder or a path was probably pasted.",
		ExplanationDE: "Entra ID konnte den Mandanten weder als GUID noch als DNS-Namen lesen. Vermutlich wurde ein Platzhalter oder ein Pfad eingefügt.",
		steps:         one("Enter the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.", "Die Verzeichnis-ID (eine GUID) oder eine verifizierte Domäne wie contoso.onmicrosoft.com eingeben.")},
	{Code: CodeTokenAppNotFound, Doc: docCC,
		Title: "The application ID is not registered in this tenant", TitleDE: "Die Anwendungs-ID ist in diesem Mandanten nicht registriert",
		Explanation:   "Entra ID found no application with this ID in the tenant. The application (client) ID may be mistyped, belong to another tenant, or be the object ID instead of the application ID.",
		ExplanationDE: "Entra ID hat im Mandanten keine Anwendung mit dieser ID gefunden. Die Anwendungs-ID (Client-ID) ist vielleicht vertippt, gehört zu einem anderen Mandanten oder ist die Objekt-ID statt der Anwendungs-ID.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Open App registrations → the app → Overview and copy the \"Application (client) ID\" (not the object ID).", "App-Registrierungen → die App → Übersicht öffnen und die „Anwendungs-ID (Client)“ kopieren (nicht die Objekt-ID).")},
				{Text: t(de, "Check that the tenant ID in the profile is the tenant where the app is registered.", "Prüfen, dass die Mandanten-ID der Verbindung der Mandant ist, in dem die App registriert ist.")}}
		}},
	{Code: CodeTokenSecretInvalid, Doc: docCC,
		Title: "The client secret is wrong (was the secret's ID pasted instead of its value?)", TitleDE: "Der geheime Clientschlüssel ist falsch (wurde die ID statt des Werts eingefügt?)",
		Explanation:   "Entra ID rejected the client secret. The most common cause is pasting the secret's ID (a GUID) instead of its Value, which the portal shows only once, right after the secret is created.",
		ExplanationDE: "Entra ID hat den geheimen Clientschlüssel abgelehnt. Meist wurde die ID des Schlüssels (eine GUID) statt seines Werts eingefügt; den Wert zeigt das Portal nur einmal, direkt nach dem Erstellen.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In App registrations → the app ("+v.AppID+") → Certificates & secrets, create a new client secret.", "Unter App-Registrierungen → die App ("+v.AppID+") → Zertifikate & Geheimnisse einen neuen geheimen Clientschlüssel erstellen.")},
				{Text: t(de, "Copy the Value column immediately (not the Secret ID) and replace the secret in this profile.", "Sofort die Spalte „Wert“ kopieren (nicht die „Geheime ID“) und den Schlüssel in dieser Verbindung ersetzen.")},
				{Text: t(de, "Delete the old secret once the test passes.", "Den alten Schlüssel löschen, sobald der Test gelingt.")}}
		}},
	{Code: CodeTokenSecretExpired, Doc: "https://aka.ms/NewClientSecret",
		Title: "The client secret has expired", TitleDE: "Der geheime Clientschlüssel ist abgelaufen",
		Explanation:   "Client secrets have an end date; this one has passed it. Mail stops working until a new secret is set.",
		ExplanationDE: "Geheime Clientschlüssel haben ein Ablaufdatum, und dieses ist überschritten. Bis ein neuer Schlüssel gesetzt ist, geht keine Mail hinaus.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In App registrations → the app ("+v.AppID+") → Certificates & secrets, create a new client secret and copy its Value.", "Unter App-Registrierungen → die App ("+v.AppID+") → Zertifikate & Geheimnisse einen neuen Schlüssel erstellen und seinen Wert kopieren.")},
				{Text: t(de, "Replace the secret in this profile and enter its expiry date, so the dashboard warns before the next one expires.", "Den Schlüssel in dieser Verbindung ersetzen und sein Ablaufdatum eintragen, damit die Übersicht rechtzeitig warnt.")},
				{Text: t(de, "Consider a certificate credential instead: it is safer and can last longer.", "Besser ein Zertifikat verwenden: es ist sicherer und kann länger gelten.")}}
		}},
	{Code: CodeTokenNoCredential, Doc: docCC,
		Title: "No credential reached Entra ID", TitleDE: "Entra ID hat keine Anmeldeinformation erhalten",
		Explanation: "The token request carried neither a client secret nor a client assertion.", ExplanationDE: "Die Tokenanfrage enthielt weder einen geheimen Clientschlüssel noch eine Client-Assertion.",
		steps: one("Set a client secret or a certificate in the profile.", "In der Verbindung einen geheimen Clientschlüssel oder ein Zertifikat hinterlegen.")},
	{Code: CodeTokenNoSP, Doc: "https://go.microsoft.com/fwlink/?linkid=2225119",
		Title: "The app has no Enterprise application (service principal) in the tenant", TitleDE: "Die App hat im Mandanten keine Unternehmensanwendung (Dienstprinzipal)",
		Explanation:   "The app registration exists but the tenant has no service principal for it — typical for a multi-tenant app that was never consented to in this tenant, or an app created by script.",
		ExplanationDE: "Die App-Registrierung gibt es, aber im Mandanten fehlt ihr Dienstprinzipal – typisch für eine mehrinstanzenfähige App ohne Zustimmung in diesem Mandanten oder eine per Skript angelegte App.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Create the service principal, for example with Microsoft Graph PowerShell:", "Den Dienstprinzipal anlegen, etwa mit Microsoft Graph PowerShell:"), Command: "New-MgServicePrincipal -AppId " + PSQuote(v.AppID)},
				{Text: t(de, "Or grant admin consent to the app in this tenant; that creates the Enterprise application.", "Oder der App in diesem Mandanten die Administratorzustimmung erteilen; das legt die Unternehmensanwendung an.")}}
		}},
	{Code: CodeTokenCertUnknown, Doc: docCert,
		Title: "The certificate is not registered on the app", TitleDE: "Das Zertifikat ist bei der App nicht hinterlegt",
		Explanation:   "Entra ID could not find the certificate that signed the client assertion among the app's certificates.",
		ExplanationDE: "Entra ID hat das Zertifikat, das die Client-Assertion signiert hat, unter den Zertifikaten der App nicht gefunden.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In App registrations → the app ("+v.AppID+") → Certificates & secrets → Certificates, upload the certificate's public part (.cer or .pem).", "Unter App-Registrierungen → die App ("+v.AppID+") → Zertifikate & Geheimnisse → Zertifikate den öffentlichen Teil des Zertifikats (.cer oder .pem) hochladen.")},
				{Text: t(de, "Compare the thumbprint shown there with the one in this test's transcript.", "Den dort angezeigten Fingerabdruck (thumbprint) mit dem im Protokoll dieses Tests vergleichen.")}}
		}},
	{Code: CodeTokenScopeInvalid, Doc: docCC,
		Title: "The token scope is not valid", TitleDE: "Der Token-Bereich (Scope) ist ungültig",
		Explanation:   "Client-credentials requests must ask for the resource with /.default, such as https://outlook.office365.com/.default. An override of the authority or cloud may be wrong.",
		ExplanationDE: "Client-Credentials-Anfragen müssen die Ressource mit /.default anfordern, etwa https://outlook.office365.com/.default. Vielleicht stimmt die Cloud oder die abweichende Authority nicht.",
		steps:         one("Check the profile's cloud and authority override; smtpoauth sends the scope for the chosen cloud.", "Cloud und abweichende Authority der Verbindung prüfen; smtpoauth sendet den Scope der gewählten Cloud.")},
	{Code: CodeTokenResourceMissing, Doc: docCC,
		Title: "Exchange Online is not known in this tenant or cloud", TitleDE: "Exchange Online ist in diesem Mandanten oder dieser Cloud unbekannt",
		Explanation:   "Entra ID does not know the Exchange resource named in the scope. Usually the profile uses the wrong cloud for this tenant, or the tenant has no Exchange Online.",
		ExplanationDE: "Entra ID kennt die Exchange-Ressource aus dem Scope nicht. Meist ist für diesen Mandanten die falsche Cloud gewählt, oder der Mandant hat kein Exchange Online.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Choose the cloud the tenant lives in (global, US Government GCC High or DoD, or China).", "Die Cloud des Mandanten wählen (global, US Government GCC High oder DoD, oder China).")},
				{Text: t(de, "Check that the tenant has Exchange Online licences.", "Prüfen, ob der Mandant Exchange-Online-Lizenzen hat.")}}
		}},
	{Code: CodeTokenConditional, Doc: "https://learn.microsoft.com/entra/identity/conditional-access/workload-identity",
		Title: "Conditional Access blocks the app's token", TitleDE: "Bedingter Zugriff blockiert das Token der App",
		Explanation:   "A Conditional Access policy for workload identities refused to issue a token to this app.",
		ExplanationDE: "Eine Richtlinie für bedingten Zugriff auf Workload-Identitäten hat die Ausstellung eines Tokens für diese App verweigert.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In Entra ID → Sign-in logs → Service principal sign-ins, find the failure for app "+v.AppID+" and the policy that blocked it.", "In Entra ID → Anmeldeprotokolle → Dienstprinzipalanmeldungen den Fehler der App "+v.AppID+" und die blockierende Richtlinie suchen.")},
				{Text: t(de, "Exclude the app from that policy or allow the network the console runs in.", "Die App von der Richtlinie ausnehmen oder das Netz der Konsole zulassen.")}}
		}},
	{Code: CodeTokenRefused, Doc: docCC,
		Title: "Entra ID refused the token request", TitleDE: "Entra ID hat die Tokenanfrage abgelehnt",
		Explanation:   "Entra ID answered with an error smtpoauth has no specific explanation for. Its message is quoted below; the AADSTS code is the best search term, and the trace and correlation IDs identify the request for Microsoft support.",
		ExplanationDE: "Entra ID hat mit einem Fehler geantwortet, den smtpoauth nicht näher kennt. Die Meldung steht unten; der AADSTS-Code ist der beste Suchbegriff, Trace- und Correlation-ID identifizieren die Anfrage für den Microsoft-Support.",
		steps:         one("Look up the AADSTS code at https://login.microsoftonline.com/error and follow its advice.", "Den AADSTS-Code unter https://login.microsoftonline.com/error nachschlagen und dem Rat folgen.")},
	{Code: CodeTokenNotJSON, Doc: docCC,
		Title: "The token endpoint did not answer like Entra ID", TitleDE: "Der Token-Endpunkt antwortet nicht wie Entra ID",
		Explanation:   "The token endpoint answered, but not with Entra ID's JSON. A proxy, a captive portal or a wrong authority override is in the way.",
		ExplanationDE: "Der Token-Endpunkt hat geantwortet, aber nicht mit dem JSON von Entra ID. Ein Proxy, ein Captive Portal oder eine falsche abweichende Authority steht im Weg.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check the authority override in the profile, or remove it.", "Die abweichende Authority der Verbindung prüfen oder entfernen.")},
				{Text: t(de, "Check for an HTTP proxy or firewall that rewrites answers from login.microsoftonline.com.", "Nach einem HTTP-Proxy oder einer Firewall suchen, die Antworten von login.microsoftonline.com verändert.")}}
		}},
	{Code: CodeTokenServerError, Doc: "https://status.cloud.microsoft",
		Title: "The token endpoint had a server error", TitleDE: "Der Token-Endpunkt hatte einen Serverfehler",
		Explanation:   "Entra ID's token endpoint answered with a server error (HTTP 5xx). This is usually temporary.",
		ExplanationDE: "Der Token-Endpunkt von Entra ID hat mit einem Serverfehler (HTTP 5xx) geantwortet. Das ist meist vorübergehend.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Run the test again in a few minutes.", "Den Test in ein paar Minuten wiederholen.")},
				{Text: t(de, "Check the Microsoft 365 service health page if it persists.", "Hält es an, den Dienststatus von Microsoft 365 prüfen.")}}
		}},
	{Code: CodeTokenUnreachable, Doc: docCC,
		Title: "The token endpoint could not be reached", TitleDE: "Der Token-Endpunkt ist nicht erreichbar",
		Explanation:   "smtpoauth could not connect to Entra ID's token endpoint: the name did not resolve, the connection was refused or timed out, or its TLS certificate was not trusted.",
		ExplanationDE: "smtpoauth konnte den Token-Endpunkt von Entra ID nicht erreichen: der Name wurde nicht aufgelöst, die Verbindung abgelehnt oder nicht rechtzeitig aufgebaut, oder sein TLS-Zertifikat war nicht vertrauenswürdig.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check that the console's host can reach the authority on port 443 (DNS, firewall, proxy).", "Prüfen, ob der Rechner der Konsole die Authority auf Port 443 erreicht (DNS, Firewall, Proxy).")},
				{Text: t(de, "If a TLS-inspecting proxy is in the way, add its CA certificate to the system roots or point SSL_CERT_FILE at a bundle that contains it.", "Steht ein TLS-prüfender Proxy im Weg, sein CA-Zertifikat zu den Systemzertifikaten hinzufügen oder SSL_CERT_FILE auf ein Bündel mit ihm setzen.")}}
		}},

	// Token claims (Microsoft Learn, "Access token claims reference").
	{Code: CodeClaimsRoleMissing, Doc: docOAuth,
		Title: "The token lacks SMTP.SendAsApp: permission or admin consent missing", TitleDE: "Dem Token fehlt SMTP.SendAsApp: Berechtigung oder Administratorzustimmung fehlt",
		Explanation:   "Entra ID issued a token, but its roles claim does not contain SMTP.SendAsApp. Exchange would answer 535 5.7.3. The app registration needs the application permission SMTP.SendAsApp of \"Office 365 Exchange Online\", and an administrator must grant consent.",
		ExplanationDE: "Entra ID hat ein Token ausgestellt, aber sein roles-Claim enthält SMTP.SendAsApp nicht. Exchange würde mit 535 5.7.3 antworten. Die App-Registrierung braucht die Anwendungsberechtigung SMTP.SendAsApp von „Office 365 Exchange Online“, und ein Administrator muss zustimmen.",
		steps:         stepAdminConsent},
	{Code: CodeClaimsWrongAudience, Doc: docOAuth,
		Title: "The token is for another service, not Exchange Online", TitleDE: "Das Token gilt für einen anderen Dienst, nicht für Exchange Online",
		Explanation:   "The token's audience is not Exchange Online (for example a Microsoft Graph token). Exchange only accepts tokens for its own resource, requested with the scope https://outlook.office365.com/.default (or the sovereign cloud's equivalent).",
		ExplanationDE: "Die Zielgruppe (aud) des Tokens ist nicht Exchange Online (etwa ein Microsoft-Graph-Token). Exchange nimmt nur Token für die eigene Ressource an, angefordert mit dem Scope https://outlook.office365.com/.default (oder dem der nationalen Cloud).",
		steps:         one("Check the profile's cloud and authority override: the scope must be the Exchange resource of the tenant's cloud.", "Cloud und abweichende Authority der Verbindung prüfen: der Scope muss die Exchange-Ressource der Cloud des Mandanten sein.")},
	{Code: CodeClaimsWrongTenant, Doc: docCC,
		Title: "The token was issued by another tenant", TitleDE: "Das Token stammt aus einem anderen Mandanten",
		Explanation:   "The token's tid claim is not the tenant in the profile, so Exchange would look for the service principal in the wrong organization.",
		ExplanationDE: "Der tid-Claim des Tokens ist nicht der Mandant der Verbindung; Exchange würde den Dienstprinzipal in der falschen Organisation suchen.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Set the profile's tenant to the Directory (tenant) ID that owns the mailbox "+v.Mailbox+".", "Als Mandanten der Verbindung die Verzeichnis-ID eintragen, zu der das Postfach "+v.Mailbox+" gehört.")}}
		}},
	{Code: CodeClaimsWrongApp, Doc: docCC,
		Title: "The token belongs to another application", TitleDE: "Das Token gehört zu einer anderen Anwendung",
		Explanation: "The token's appid claim differs from the profile's application ID.", ExplanationDE: "Der appid-Claim des Tokens weicht von der Anwendungs-ID der Verbindung ab.",
		steps: one("Check the application (client) ID in the profile.", "Die Anwendungs-ID (Client-ID) der Verbindung prüfen.")},
	{Code: CodeClaimsExpired, Doc: docCC,
		Title: "The token is already expired", TitleDE: "Das Token ist bereits abgelaufen",
		Explanation: "The token's expiry lies in the past: the console's clock is probably wrong.", ExplanationDE: "Das Ablaufdatum des Tokens liegt in der Vergangenheit: die Uhr der Konsole geht vermutlich falsch.",
		steps: one("Synchronise the clock of the machine that runs smtpoauth (NTP).", "Die Uhr des Rechners, auf dem smtpoauth läuft, synchronisieren (NTP).")},
	{Code: CodeClaimsNotJWT, Doc: docOAuth,
		Title: "The access token could not be read", TitleDE: "Das Zugriffstoken ist nicht lesbar",
		Explanation:   "The token endpoint returned an access token that is not a JWT, so its permissions cannot be checked. Exchange Online tokens are JWTs; the authority override may point to another service.",
		ExplanationDE: "Der Token-Endpunkt hat ein Zugriffstoken geliefert, das kein JWT ist; seine Berechtigungen lassen sich nicht prüfen. Exchange-Online-Token sind JWTs; die abweichende Authority zeigt vielleicht auf einen anderen Dienst.",
		steps:         one("Check or remove the profile's authority override.", "Die abweichende Authority der Verbindung prüfen oder entfernen.")},

	// Network and TLS.
	{Code: CodeTargetRefused, Doc: docMFD,
		Title: "The console does not connect to this endpoint", TitleDE: "Die Konsole verbindet sich nicht mit diesem Endpunkt",
		Explanation:   "The console's outbound policy refused the connection before anything was sent: the host or port is not one of Microsoft's endpoints (sign-in on 443, SMTP on 587) or the operator's allowed hosts, or the name resolves to a private, loopback, link-local or cloud-metadata address. The answer below says which. This keeps the console from being used to probe the network it runs in.",
		ExplanationDE: "Die Ausgangsregeln der Konsole haben die Verbindung abgelehnt, bevor etwas gesendet wurde: Host oder Port gehören nicht zu den Endpunkten von Microsoft (Anmeldung auf 443, SMTP auf 587) oder den vom Betreiber erlaubten Hosts, oder der Name löst sich in eine private, Loopback-, Link-Local- oder Cloud-Metadaten-Adresse auf. Die Antwort unten sagt, was zutrifft. So taugt die Konsole nicht zum Ausspähen des eigenen Netzes.",
		steps: one("Remove the connection's SMTP host and authority overrides to use Exchange Online's own endpoints; an operator who really needs another host adds it, with its port, to --allowed-hosts.",
			"Die abweichenden SMTP-Host- und Authority-Angaben der Verbindung entfernen, dann gelten die Endpunkte von Exchange Online; wer einen anderen Host wirklich braucht, lässt ihn vom Betreiber mit Port in --allowed-hosts aufnehmen.")},
	{Code: CodeSMTPDNS, Doc: docMFD,
		Title: "The SMTP host name does not resolve", TitleDE: "Der SMTP-Hostname lässt sich nicht auflösen",
		Explanation:   "DNS could not resolve the SMTP host. The host override may be mistyped, or the console has no DNS for the internet.",
		ExplanationDE: "DNS konnte den SMTP-Host nicht auflösen. Der abweichende Host ist vielleicht vertippt, oder die Konsole hat kein DNS ins Internet.",
		steps:         one("Check the SMTP host (smtp.office365.com:587 for the global cloud) and the console's DNS settings.", "Den SMTP-Host (smtp.office365.com:587 für die globale Cloud) und die DNS-Einstellungen der Konsole prüfen.")},
	{Code: CodeSMTPRefused, Doc: docMFD,
		Title: "The SMTP server refused the connection", TitleDE: "Der SMTP-Server hat die Verbindung abgelehnt",
		Explanation:   "Nothing accepted the TCP connection: wrong port, or a firewall rejects outgoing connections to port 587.",
		ExplanationDE: "Niemand hat die TCP-Verbindung angenommen: falscher Port, oder eine Firewall lehnt ausgehende Verbindungen auf Port 587 ab.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Use port 587 (STARTTLS); port 465 is not an SMTP AUTH endpoint of Exchange Online.", "Port 587 (STARTTLS) verwenden; Port 465 ist kein SMTP-AUTH-Endpunkt von Exchange Online.")},
				{Text: t(de, "Allow outgoing TCP 587 from the console to the SMTP host.", "Ausgehendes TCP 587 von der Konsole zum SMTP-Host erlauben.")}}
		}},
	{Code: CodeSMTPUnreachable, Doc: docMFD,
		Title: "The SMTP server could not be reached", TitleDE: "Der SMTP-Server ist nicht erreichbar",
		Explanation: "The network has no route to the SMTP host.", ExplanationDE: "Das Netz hat keine Route zum SMTP-Host.",
		steps: one("Check the console's network, routes and outgoing firewall for TCP 587.", "Netz, Routen und ausgehende Firewall der Konsole für TCP 587 prüfen.")},
	{Code: CodeSMTPTimeout, Doc: docMFD,
		Title: "The SMTP server did not answer in time", TitleDE: "Der SMTP-Server hat nicht rechtzeitig geantwortet",
		Explanation: "No answer came within the timeout. A firewall may silently drop the traffic, or the server stalled.", ExplanationDE: "Innerhalb der Wartezeit kam keine Antwort. Eine Firewall verwirft den Verkehr vielleicht stillschweigend, oder der Server hängt.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check that outgoing TCP 587 is allowed; a firewall that drops packets looks like this.", "Prüfen, ob ausgehendes TCP 587 erlaubt ist; eine Firewall, die Pakete verwirft, sieht genau so aus.")},
				{Text: t(de, "Run the test again; if it persists, raise the reply timeout.", "Den Test wiederholen; hält es an, die Wartezeit für Antworten erhöhen.")}}
		}},
	{Code: CodeSMTPClosed, Doc: docMFD,
		Title: "The SMTP server closed the connection", TitleDE: "Der SMTP-Server hat die Verbindung geschlossen",
		Explanation: "The server or something in between ended the connection without an SMTP reply.", ExplanationDE: "Der Server oder etwas dazwischen hat die Verbindung ohne SMTP-Antwort beendet.",
		steps: one("Run the test again; a middlebox (proxy, IPS) that cuts SMTP connections also looks like this.", "Den Test wiederholen; eine Middlebox (Proxy, IPS), die SMTP-Verbindungen kappt, sieht ebenso aus.")},
	{Code: CodeSMTPProtocol, Doc: docMFD,
		Title: "The server's answer is not SMTP", TitleDE: "Die Antwort des Servers ist kein SMTP",
		Explanation: "What came back does not follow the SMTP reply format: the host and port probably belong to another service.", ExplanationDE: "Die Antwort folgt nicht dem SMTP-Format: Host und Port gehören vermutlich zu einem anderen Dienst.",
		steps: one("Check the SMTP host and port: smtp.office365.com:587 for the global cloud.", "SMTP-Host und Port prüfen: smtp.office365.com:587 für die globale Cloud.")},
	{Code: CodeEHLOInvalid, Doc: docMFD, reply: replyIs(501, "5.5.4"),
		Title: "Exchange refused the EHLO name", TitleDE: "Exchange hat den EHLO-Namen abgelehnt",
		Explanation: "Exchange requires a syntactically valid domain name or address literal after EHLO.", ExplanationDE: "Exchange verlangt nach EHLO einen gültigen Domänennamen oder ein Adressliteral.",
		steps: one("Give the host a valid fully-qualified name, or leave smtpoauth's default (an address literal).", "Dem Rechner einen gültigen vollqualifizierten Namen geben oder den Standard von smtpoauth (ein Adressliteral) belassen.")},
	{Code: CodeSTARTTLSMissing, Doc: docMFD,
		Title: "The server does not offer STARTTLS, so the token was not sent", TitleDE: "Der Server bietet kein STARTTLS an, daher wurde das Token nicht gesendet",
		Explanation:   "Exchange Online always offers STARTTLS on port 587. Without it the token would travel in clear text, so smtpoauth stopped. Something between the console and Microsoft (a proxy or a firewall with SMTP inspection) is removing STARTTLS, or the host is not Exchange Online.",
		ExplanationDE: "Exchange Online bietet auf Port 587 immer STARTTLS an. Ohne wäre das Token im Klartext unterwegs, daher hat smtpoauth abgebrochen. Etwas zwischen Konsole und Microsoft (ein Proxy oder eine Firewall mit SMTP-Prüfung) entfernt STARTTLS, oder der Host ist nicht Exchange Online.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check the SMTP host override: it must be Exchange Online's submission host.", "Den abweichenden SMTP-Host prüfen: er muss der Einlieferungs-Host von Exchange Online sein.")},
				{Text: t(de, "Disable SMTP inspection (\"ESMTP fixup\") on firewalls between the console and the internet.", "Die SMTP-Prüfung („ESMTP fixup“) auf Firewalls zwischen Konsole und Internet abschalten.")}}
		}},
	{Code: CodeTLSVerify, Doc: docMFD,
		Title: "The SMTP server's certificate could not be verified", TitleDE: "Das Zertifikat des SMTP-Servers ließ sich nicht prüfen",
		Explanation:   "The TLS certificate does not chain to a trusted root or does not match the host name. smtpoauth never skips this check: sending a token to an unverified server would hand it to whoever is in the middle.",
		ExplanationDE: "Das TLS-Zertifikat führt zu keiner vertrauenswürdigen Stammzertifizierungsstelle oder passt nicht zum Hostnamen. smtpoauth überspringt diese Prüfung nie: ein Token an einen ungeprüften Server ginge an jeden, der dazwischen sitzt.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Connect by host name (smtp.office365.com), never by IP address.", "Über den Hostnamen (smtp.office365.com) verbinden, nie über eine IP-Adresse.")},
				{Text: t(de, "If a TLS-inspecting proxy is in the way, exempt Exchange Online from inspection or add its CA to the system roots (SSL_CERT_FILE).", "Steht ein TLS-prüfender Proxy im Weg, Exchange Online von der Prüfung ausnehmen oder seine CA zu den Systemzertifikaten hinzufügen (SSL_CERT_FILE).")}}
		}},
	{Code: CodeTLSVersion, Doc: "https://aka.ms/smtp_auth_tls",
		reply: func(c int, e, tx string, _ Stage) bool { return e == "4.7.66" || has(tx, "tls 1.0 and 1.1") },
		Title: "TLS 1.2 or newer could not be agreed", TitleDE: "TLS 1.2 oder neuer ließ sich nicht aushandeln",
		Explanation: "Exchange Online requires TLS 1.2 or newer; the connection offered only an older version.", ExplanationDE: "Exchange Online verlangt TLS 1.2 oder neuer; die Verbindung bot nur eine ältere Version an.",
		steps: one("Remove any middlebox that downgrades TLS; smtpoauth itself only speaks TLS 1.2 and 1.3.", "Jede Middlebox entfernen, die TLS herabstuft; smtpoauth selbst spricht nur TLS 1.2 und 1.3.")},
	{Code: CodeTLSHandshake, Doc: docMFD,
		Title: "The TLS handshake failed", TitleDE: "Der TLS-Handshake ist fehlgeschlagen",
		Explanation: "STARTTLS was accepted but the TLS handshake did not complete.", ExplanationDE: "STARTTLS wurde angenommen, aber der TLS-Handshake kam nicht zustande.",
		steps: one("Run the test again; check for middleboxes that interfere with TLS on port 587.", "Den Test wiederholen; nach Middleboxes suchen, die TLS auf Port 587 stören.")},
	{Code: CodeXOAUTH2NotOffered, Doc: docOAuth,
		Title: "The server does not offer AUTH XOAUTH2", TitleDE: "Der Server bietet AUTH XOAUTH2 nicht an",
		Explanation:   "After STARTTLS, Exchange Online advertises AUTH LOGIN XOAUTH2. This server does not: it is probably not Exchange Online, or SMTP AUTH is blocked on the path.",
		ExplanationDE: "Nach STARTTLS kündigt Exchange Online AUTH LOGIN XOAUTH2 an. Dieser Server nicht: er ist vermutlich nicht Exchange Online, oder SMTP AUTH wird unterwegs blockiert.",
		steps:         one("Check the SMTP host override.", "Den abweichenden SMTP-Host prüfen.")},

	// AUTH replies, as Exchange Online words them (the corpus in mailer/exchange/testdata/replies names each source).
	{Code: CodeAuthDisabledTenant, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "smtpclientauthentication") && !has(tx, "mailbox", "postfach")
		},
		Title: "SMTP AUTH is disabled for the organization", TitleDE: "SMTP AUTH ist für die Organisation deaktiviert",
		Explanation:   "The tenant switched off SMTP client authentication, and that applies to OAuth as well as Basic. It can be enabled for the whole organization or only for the sending mailbox.",
		ExplanationDE: "Der Mandant hat die SMTP-Client-Authentifizierung abgeschaltet, und das gilt für OAuth wie für Basic. Sie lässt sich für die ganze Organisation oder nur für das sendende Postfach einschalten.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "See the organization setting (True means disabled):", "Die Einstellung der Organisation ansehen (True heißt deaktiviert):"), Command: v.connect() + "\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
				stepSMTPAuthMailbox(v, de),
				{Text: t(de, "Or enable it for the whole organization:", "Oder für die ganze Organisation einschalten:"), Command: "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"},
				stepRetryLater(de, "up to an hour", "bis zu einer Stunde")}
		}},
	{Code: CodeAuthDisabledMailbox, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "smtpclientauthentication") && has(tx, "mailbox", "postfach")
		},
		Title: "SMTP AUTH is disabled for the mailbox", TitleDE: "SMTP AUTH ist für das Postfach deaktiviert",
		Explanation: "The sending mailbox has SMTP client authentication switched off.", ExplanationDE: "Beim sendenden Postfach ist die SMTP-Client-Authentifizierung abgeschaltet.",
		steps: func(v values, de bool) []Step {
			return []Step{stepSMTPAuthMailbox(v, de), stepRetryLater(de, "up to an hour", "bis zu einer Stunde")}
		}},
	{Code: CodeAuthPolicyBlocked, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.7.139" && has(tx, "criteria") },
		Title: "A sign-in policy blocked the authentication", TitleDE: "Eine Anmelderichtlinie hat die Authentifizierung blockiert",
		Explanation:   "Exchange says the request did not meet the criteria to be authenticated: a Conditional Access or similar policy refused the sign-in.",
		ExplanationDE: "Exchange meldet, die Anfrage erfülle die Kriterien für eine Anmeldung nicht: eine Richtlinie für bedingten Zugriff o. Ä. hat die Anmeldung verweigert.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In Entra ID → Sign-in logs → Service principal sign-ins, find the failed sign-in of app "+v.AppID+" and the policy named there.", "In Entra ID → Anmeldeprotokolle → Dienstprinzipalanmeldungen die fehlgeschlagene Anmeldung der App "+v.AppID+" und die dort genannte Richtlinie suchen.")}}
		}},
	{Code: CodeAuthBasicReply, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "basic authentication", "credentials were incorrect", "security defaults")
		},
		Title: "Exchange answered as if Basic authentication was used", TitleDE: "Exchange hat geantwortet, als wäre Basic-Authentifizierung verwendet worden",
		Explanation:   "This 5.7.139 reply concerns user name and password (Basic) sign-ins, which Microsoft is retiring. smtpoauth sent XOAUTH2, so the host is probably not Exchange Online's OAuth endpoint, or a relay in between rewrites the login.",
		ExplanationDE: "Diese 5.7.139-Antwort betrifft Anmeldungen mit Benutzername und Passwort (Basic), die Microsoft abschaltet. smtpoauth hat XOAUTH2 gesendet; der Host ist also vermutlich nicht der OAuth-Endpunkt von Exchange Online, oder ein Relay dazwischen schreibt die Anmeldung um.",
		steps:         one("Check the SMTP host override; remove relays between the console and Exchange Online.", "Den abweichenden SMTP-Host prüfen; Relays zwischen Konsole und Exchange Online entfernen.")},
	{Code: CodeAuthUnsuccessful, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return c == 535 && (e == "5.7.3" || e == "") },
		Title: "Exchange rejected the token (535 5.7.3)", TitleDE: "Exchange hat das Token abgelehnt (535 5.7.3)",
		Explanation:   "The token itself is fine — smtpoauth checked its audience, tenant and SMTP.SendAsApp role — so Exchange rejected the link between the app and the mailbox. In order of likelihood: the service principal is not registered in Exchange, or was registered with the App registration's object ID instead of the Enterprise application's; the service principal has no permission on the mailbox; the mailbox in user= is not the one that was granted; or a recent change has not reached Exchange yet. What the reply rules out: the SMTP AUTH switch (that gives 5.7.139) is unlikely, not verified.",
		ExplanationDE: "Das Token selbst ist in Ordnung – smtpoauth hat Zielgruppe, Mandant und die Rolle SMTP.SendAsApp geprüft –, also hat Exchange die Verbindung zwischen App und Postfach abgelehnt. Nach Wahrscheinlichkeit: der Dienstprinzipal ist in Exchange nicht registriert oder mit der Objekt-ID der App-Registrierung statt der Unternehmensanwendung; der Dienstprinzipal hat keine Berechtigung auf das Postfach; das Postfach in user= ist nicht das berechtigte; oder eine Änderung ist noch nicht bei Exchange angekommen. Was die Antwort ausschließt: der SMTP-AUTH-Schalter (der ergibt 5.7.139) ist unwahrscheinlich, nicht geprüft.",
		steps: func(v values, de bool) []Step {
			steps := stepServicePrincipal(v, de)
			steps = append(steps, stepMailboxPermission(v, de),
				Step{Text: t(de, "Check that "+v.Mailbox+" is the mailbox's primary SMTP address (the one the permission was granted on):", "Prüfen, ob "+v.Mailbox+" die primäre SMTP-Adresse des Postfachs ist (auf das die Berechtigung erteilt wurde):"),
					Command: "Get-Mailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List PrimarySmtpAddress\nGet-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " | Where-Object User -like '*" + strings.ReplaceAll(v.ObjectID, "'", "''") + "*'"},
				stepRetryLater(de, "Microsoft and vendors report 15 to 30 minutes after New-ServicePrincipal or Add-MailboxPermission", "Microsoft und Hersteller berichten von 15 bis 30 Minuten nach New-ServicePrincipal oder Add-MailboxPermission"))
			return steps
		}},
	{Code: CodeAuthTemporary, Doc: docOAuth,
		reply: func(c int, e, tx string, s Stage) bool { return s == StageAuth && c/100 == 4 },
		Title: "Exchange had a temporary problem during authentication", TitleDE: "Exchange hatte bei der Anmeldung ein vorübergehendes Problem",
		Explanation:   "Exchange answered the authentication with a temporary error (4xx). Nothing is wrong with the configuration as far as this reply says.",
		ExplanationDE: "Exchange hat die Anmeldung mit einem vorübergehenden Fehler (4xx) beantwortet. Soweit diese Antwort verrät, ist an der Konfiguration nichts falsch.",
		steps:         one("Run the test again in a few minutes.", "Den Test in ein paar Minuten wiederholen.")},

	// Submission replies.
	{Code: CodeMailNotAuth, Doc: docOAuth, reply: replyIs(530, "5.7.57"),
		Title: "Exchange says the client is not authenticated", TitleDE: "Exchange meldet, der Client sei nicht angemeldet",
		Explanation:   "MAIL FROM was refused because the session is not authenticated. With smtpoauth this means the authentication did not take effect.",
		ExplanationDE: "MAIL FROM wurde abgelehnt, weil die Sitzung nicht angemeldet ist. Bei smtpoauth heißt das: die Anmeldung hat nicht gegriffen.",
		steps:         one("Run the test again; if it persists, report it with the transcript.", "Den Test wiederholen; hält es an, mit dem Protokoll melden.")},
	{Code: CodeSendAsEnvelope, Doc: docOAuth, reply: replyIs(550, "5.7.60"),
		Title: "The mailbox may not send as this sender", TitleDE: "Das Postfach darf nicht als dieser Absender senden",
		Explanation:   "The sender address differs from the mailbox that authenticated, and the service principal has no Send As right on it.",
		ExplanationDE: "Die Absenderadresse weicht vom angemeldeten Postfach ab, und der Dienstprinzipal hat darauf kein „Senden als“-Recht.",
		steps:         func(v values, de bool) []Step { return []Step{stepSendAs(v, de)} }},
	{Code: CodeSenderThrottled, Doc: docCET,
		reply: func(c int, e, tx string, _ Stage) bool { return c == 550 && has(tx, "sender throttled") },
		Title: "The mailbox is throttled after repeated errors", TitleDE: "Das Postfach ist nach wiederholten Fehlern gedrosselt",
		Explanation:   "Exchange blocks SMTP AUTH submissions from a mailbox for a while after continuous errors (mailbox full, send-as denied, licence, too many or invalid recipients). Microsoft support cannot lift it.",
		ExplanationDE: "Exchange sperrt SMTP-AUTH-Einlieferungen eines Postfachs eine Zeit lang nach fortgesetzten Fehlern (Postfach voll, „Senden als“ verweigert, Lizenz, zu viele oder ungültige Empfänger). Der Microsoft-Support kann das nicht aufheben.",
		steps:         one("Fix the cause named in the reply (for example the Send As permission), then wait for the throttling to end, or use another mailbox.", "Die in der Antwort genannte Ursache beheben (etwa „Senden als“), dann das Ende der Drosselung abwarten oder ein anderes Postfach verwenden.")},
	{Code: CodeSendAsDenied, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return has(tx, "sendasdenied") },
		Title: "Send As denied for the From address", TitleDE: "„Senden als“ für die Absenderadresse verweigert",
		Explanation:   "Exchange accepted the message but refused to submit it because the From address is not one the authenticated mailbox may send as. With client credentials, Send As must be granted explicitly.",
		ExplanationDE: "Exchange hat die Nachricht angenommen, aber nicht eingeliefert, weil das angemeldete Postfach nicht als diese Absenderadresse senden darf. Mit Client Credentials muss „Senden als“ ausdrücklich erteilt werden.",
		steps: func(v values, de bool) []Step {
			return []Step{stepSendAs(v, de), stepRetryLater(de, "up to an hour", "bis zu einer Stunde")}
		}},
	{Code: CodeThreadLimit, Doc: docLimits,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "4.3.2" || has(tx, "thread limit") },
		Title: "Too many connections are sending from this mailbox at once", TitleDE: "Zu viele Verbindungen senden gleichzeitig von diesem Postfach",
		Explanation: "Exchange allows three concurrent submissions per mailbox; more are refused with 432 4.3.2.", ExplanationDE: "Exchange erlaubt drei gleichzeitige Einlieferungen je Postfach; weitere werden mit 432 4.3.2 abgelehnt.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Limit the applications that send through "+v.Mailbox+" to three parallel connections, then retry.", "Die Anwendungen, die über "+v.Mailbox+" senden, auf drei parallele Verbindungen begrenzen und erneut versuchen.")}}
		}},
	{Code: CodeQuotaExceeded, Doc: docLimits,
		reply: func(c int, e, tx string, _ Stage) bool { return has(tx, "submissionquotaexceeded") },
		Title: "The mailbox has reached its daily recipient limit", TitleDE: "Das Postfach hat sein tägliches Empfängerlimit erreicht",
		Explanation: "Exchange Online allows 10,000 recipients per day per mailbox (rolling 24 hours).", ExplanationDE: "Exchange Online erlaubt 10.000 Empfänger pro Tag und Postfach (gleitende 24 Stunden).",
		steps: one("Wait until the rolling 24-hour window frees up; use a bulk mail service for large volumes.", "Warten, bis das gleitende 24-Stunden-Fenster wieder Platz hat; für große Mengen einen Massenversanddienst nutzen.")},
	{Code: CodeMailboxFull, Doc: docLimits,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.2.2" || has(tx, "quotaexceeded") },
		Title: "The sending mailbox is full", TitleDE: "Das sendende Postfach ist voll",
		Explanation: "Every message sent through SMTP AUTH is saved in the mailbox's Sent Items, which has filled the mailbox.", ExplanationDE: "Jede über SMTP AUTH gesendete Nachricht landet in „Gesendete Elemente“ des Postfachs, das dadurch voll ist.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Free space in "+v.Mailbox+", or apply a retention policy that cleans Sent Items.", "Platz in "+v.Mailbox+" schaffen oder eine Aufbewahrungsrichtlinie anwenden, die „Gesendete Elemente“ aufräumt.")}}
		}},
	{Code: CodeOutboundSpam, Doc: "https://security.microsoft.com/restrictedentities",
		reply: func(c int, e, tx string, _ Stage) bool { return has(tx, "outboundspamexception") },
		Title: "Outbound spam protection blocked the message", TitleDE: "Der Schutz vor ausgehendem Spam hat die Nachricht blockiert",
		Explanation: "Microsoft Defender flagged outgoing mail from this account as spam.", ExplanationDE: "Microsoft Defender hat ausgehende Mail dieses Kontos als Spam eingestuft.",
		steps: one("Investigate the account in Microsoft Defender and release it when it is clean.", "Das Konto in Microsoft Defender untersuchen und freigeben, wenn es sauber ist.")},
	{Code: CodeRestrictedSender, Doc: "https://security.microsoft.com/restrictedentities", reply: replyIs(550, "5.1.8"),
		Title: "The mailbox is restricted from sending", TitleDE: "Das Postfach ist für das Senden gesperrt",
		Explanation: "The mailbox was put on the Restricted entities list after sending spam.", ExplanationDE: "Das Postfach steht nach Spamversand auf der Liste der eingeschränkten Entitäten.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Remove "+v.Mailbox+" from Restricted entities in the Microsoft Defender portal after securing it.", v.Mailbox+" nach dem Absichern im Microsoft-Defender-Portal aus „Eingeschränkte Entitäten“ entfernen.")}}
		}},
	{Code: CodeMailboxLogon, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return has(tx, "mapiexceptionlogonfailed", "mailbox logon failure")
		},
		Title: "Exchange could not open the mailbox for the app", TitleDE: "Exchange konnte das Postfach für die App nicht öffnen",
		Explanation:   "The mailbox logon failed while submitting. For client credentials this usually means the service principal lacks permission on the mailbox (reported, not confirmed by Microsoft).",
		ExplanationDE: "Die Anmeldung am Postfach ist beim Einliefern fehlgeschlagen. Bei Client Credentials fehlt meist die Berechtigung des Dienstprinzipals auf das Postfach (berichtet, von Microsoft nicht bestätigt).",
		steps: func(v values, de bool) []Step {
			return []Step{stepMailboxPermission(v, de), stepRetryLater(de, "15 to 30 minutes", "15 bis 30 Minuten")}
		}},
	{Code: CodeRecipientNotFound, Doc: docMFD,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.1.10" || has(tx, "recipientnotfound") },
		Title: "The test recipient does not exist", TitleDE: "Den Testempfänger gibt es nicht",
		Explanation: "Exchange could not find the recipient address in its directory. Authentication and the mailbox work; only the recipient is wrong.", ExplanationDE: "Exchange hat die Empfängeradresse im Verzeichnis nicht gefunden. Anmeldung und Postfach funktionieren; nur der Empfänger stimmt nicht.",
		steps: one("Check the test recipient's address.", "Die Adresse des Testempfängers prüfen.")},
	{Code: CodeTemporary, Doc: docMFD,
		reply: func(c int, e, tx string, _ Stage) bool { return c/100 == 4 },
		Title: "Exchange had a temporary problem", TitleDE: "Exchange hatte ein vorübergehendes Problem",
		Explanation: "Exchange answered with a temporary error (4xx). Such errors usually pass on their own.", ExplanationDE: "Exchange hat mit einem vorübergehenden Fehler (4xx) geantwortet. Solche Fehler vergehen meist von selbst.",
		steps: one("Run the test again in a few minutes.", "Den Test in ein paar Minuten wiederholen.")},
	{Code: CodeUnknownReply, Doc: docMFD, Title: "Exchange refused the request", TitleDE: "Exchange hat die Anfrage abgelehnt",
		steps: one("Search Microsoft's documentation for the enhanced status code in the reply, and attach this run's evidence pack to a support ticket.", "In der Microsoft-Dokumentation nach dem erweiterten Statuscode der Antwort suchen und das Beweispaket dieses Tests an ein Support-Ticket hängen.")},
}
