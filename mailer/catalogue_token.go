package mailer

// tokenCatalogue explains the Entra ID answers beyond the first table of AADSTS codes: the
// certificate credential's own errors, errors that only a changed request can cause, and the
// OAuth error values and HTTP statuses used when the code says nothing more (Microsoft Learn,
// "Microsoft Entra authentication and authorization error codes"; the reply corpus in
// mailer/exchange/testdata/replies names a real answer for each).
var tokenCatalogue = []entry{
	{Code: CodeTokenTenantMissing, Doc: docCC,
		Title: "The token request named no tenant", TitleDE: "Die Tokenanfrage nannte keinen Mandanten",
		Explanation:   "Entra ID found no tenant in the request. App-only tokens must be requested from the tenant itself, not from common or organizations.",
		ExplanationDE: "Entra ID hat in der Anfrage keinen Mandanten gefunden. App-only-Token müssen beim Mandanten selbst angefordert werden, nicht bei common oder organizations.",
		steps:         one("Enter the Directory (tenant) ID or a verified domain in the profile instead of common or organizations.", "In der Verbindung die Verzeichnis-ID oder eine verifizierte Domäne eintragen statt common oder organizations.")},
	{Code: CodeTokenAppDisabled, Doc: docCC,
		Title: "The application is disabled in this tenant", TitleDE: "Die Anwendung ist in diesem Mandanten deaktiviert",
		Explanation:   "Entra ID knows the app but its Enterprise application (service principal) is disabled, so it gets no tokens.",
		ExplanationDE: "Entra ID kennt die App, aber ihre Unternehmensanwendung (Dienstprinzipal) ist deaktiviert; sie erhält keine Token.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In the Microsoft Entra admin center open Enterprise applications → the app ("+v.AppID+") → Properties, and set \"Enabled for users to sign in\" to Yes.",
				"Im Microsoft Entra Admin Center Unternehmensanwendungen → die App ("+v.AppID+") → Eigenschaften öffnen und „Aktiviert für die Benutzeranmeldung“ auf Ja setzen.")},
				{Text: t(de, "If Microsoft disabled the app (for example for suspicious activity), the Enterprise application's page says so; ask Microsoft support.", "Hat Microsoft die App deaktiviert (etwa wegen verdächtiger Aktivität), steht das auf der Seite der Unternehmensanwendung; dann den Microsoft-Support fragen.")}}
		}},
	{Code: CodeTokenConsentMissing, Doc: docCC,
		Title: "Nobody has consented to the app's permissions", TitleDE: "Den Berechtigungen der App hat niemand zugestimmt",
		Explanation:   "Entra ID refused because the app's permissions have no consent in this tenant. App-only permissions need an administrator's consent.",
		ExplanationDE: "Entra ID hat abgelehnt, weil die Berechtigungen der App in diesem Mandanten keine Zustimmung haben. App-only-Berechtigungen brauchen die Zustimmung eines Administrators.",
		steps:         stepAdminConsent},
	{Code: CodeTokenAssertionTime, Doc: docCert,
		Title: "The certificate's client assertion is outside its time window", TitleDE: "Die Client-Assertion des Zertifikats liegt außerhalb ihres Zeitfensters",
		Explanation:   "Entra ID checks the signed assertion's nbf and exp against its own clock. The assertion was expired or not yet valid: the console's clock is off (or its time zone is taken as UTC), or an assertion was reused.",
		ExplanationDE: "Entra ID prüft nbf und exp der signierten Assertion gegen die eigene Uhr. Die Assertion war abgelaufen oder noch nicht gültig: die Uhr der Konsole geht falsch (oder ihre Ortszeit wird als UTC genommen), oder eine Assertion wurde wiederverwendet.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Synchronise the clock of the machine that runs smtpoauth (NTP); compare its UTC time with the \"Current time\" in Entra's answer below.",
				"Die Uhr des Rechners, auf dem smtpoauth läuft, synchronisieren (NTP); seine UTC-Zeit mit „Current time“ in der Antwort von Entra unten vergleichen.")},
				{Text: t(de, "Run the test again: smtpoauth signs a fresh assertion for every request.", "Den Test wiederholen: smtpoauth signiert für jede Anfrage eine neue Assertion.")}}
		}},
	{Code: CodeTokenAssertionAudience, Doc: docCert,
		Title: "The client assertion was made for another token endpoint", TitleDE: "Die Client-Assertion gilt für einen anderen Token-Endpunkt",
		Explanation:   "The assertion's aud claim must be the token endpoint it is sent to, with the same tenant and cloud. It names another one: the cloud or authority override does not match the tenant.",
		ExplanationDE: "Der aud-Claim der Assertion muss der Token-Endpunkt sein, an den sie geht, mit demselben Mandanten und derselben Cloud. Er nennt einen anderen: Cloud oder abweichende Authority passen nicht zum Mandanten.",
		steps:         one("Choose the tenant's cloud in the profile and remove the authority override unless it is needed.", "In der Verbindung die Cloud des Mandanten wählen und die abweichende Authority entfernen, wenn sie nicht nötig ist.")},
	{Code: CodeTokenAssertionInvalid, Doc: docCert,
		Title: "Entra ID could not validate the client assertion", TitleDE: "Entra ID konnte die Client-Assertion nicht prüfen",
		Explanation:   "The signature or content of the certificate's assertion did not validate: the private key may not belong to the uploaded certificate.",
		ExplanationDE: "Signatur oder Inhalt der Assertion des Zertifikats ließen sich nicht prüfen: der private Schlüssel gehört vielleicht nicht zum hochgeladenen Zertifikat.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check that the key file belongs to the certificate file, and that this certificate is uploaded to the app ("+v.AppID+") under Certificates & secrets.",
				"Prüfen, ob die Schlüsseldatei zur Zertifikatsdatei gehört und dieses Zertifikat bei der App ("+v.AppID+") unter Zertifikate & Geheimnisse hochgeladen ist.")}}
		}},
	{Code: CodeTokenRequestMalformed, Doc: docCC,
		Title: "The token request lacked a required field", TitleDE: "In der Tokenanfrage fehlte ein Pflichtfeld",
		Explanation:   "Entra ID did not find a field it needs (such as grant_type or scope) in the request body. smtpoauth always sends them form-encoded, so something between the console and Entra ID changed the request, or the authority override points to a service that expects another format.",
		ExplanationDE: "Entra ID hat im Rumpf der Anfrage ein nötiges Feld (etwa grant_type oder scope) nicht gefunden. smtpoauth sendet sie immer formularkodiert; also hat etwas zwischen Konsole und Entra ID die Anfrage verändert, oder die abweichende Authority zeigt auf einen Dienst, der ein anderes Format erwartet.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Remove the profile's authority override, or check it against the tenant's token endpoint.", "Die abweichende Authority der Verbindung entfernen oder mit dem Token-Endpunkt des Mandanten abgleichen.")},
				{Text: t(de, "Check for an HTTP proxy that rewrites requests to login.microsoftonline.com.", "Nach einem HTTP-Proxy suchen, der Anfragen an login.microsoftonline.com umschreibt.")}}
		}},
	{Code: CodeTokenUserCredentials, Doc: docCC,
		Title: "Entra ID refused a user name and password", TitleDE: "Entra ID hat Benutzername und Passwort abgelehnt",
		Explanation:   "This answer belongs to a user's password sign-in, not to the app-only (client credentials) sign-in smtpoauth makes. The authority override probably points to something that is not Entra ID's token endpoint for this app.",
		ExplanationDE: "Diese Antwort gehört zur Passwortanmeldung eines Benutzers, nicht zur App-only-Anmeldung (Client Credentials) von smtpoauth. Die abweichende Authority zeigt vermutlich auf etwas anderes als den Token-Endpunkt von Entra ID für diese App.",
		steps:         one("Remove the profile's authority override; smtpoauth never sends a user's password.", "Die abweichende Authority der Verbindung entfernen; smtpoauth sendet nie das Passwort eines Benutzers.")},
	{Code: CodeTokenFlowNotEnabled, Doc: docCC,
		Title: "The app registration does not allow this sign-in flow", TitleDE: "Die App-Registrierung erlaubt dieses Anmeldeverfahren nicht",
		Explanation:   "Entra ID says the app is not enabled for the flow or response type requested. smtpoauth uses only client credentials; an answer about another flow means the request went somewhere other than the app's token endpoint.",
		ExplanationDE: "Entra ID meldet, die App sei für das angeforderte Verfahren oder den Antworttyp nicht freigegeben. smtpoauth nutzt nur Client Credentials; eine Antwort zu einem anderen Verfahren heißt, dass die Anfrage woanders als beim Token-Endpunkt der App ankam.",
		steps:         one("Check or remove the authority override, and check that the application (client) ID is the app registration meant for SMTP.", "Die abweichende Authority prüfen oder entfernen und prüfen, ob die Anwendungs-ID die für SMTP gedachte App-Registrierung ist.")},
	{Code: CodeTokenClientRejected, Doc: docCC,
		Title: "Entra ID did not accept the app's credentials", TitleDE: "Entra ID hat die Anmeldedaten der App nicht angenommen",
		Explanation:   "Entra ID answered invalid_client: the application ID, the secret or the certificate is not accepted for this tenant. Its own words, quoted below, usually say which.",
		ExplanationDE: "Entra ID hat mit invalid_client geantwortet: Anwendungs-ID, geheimer Schlüssel oder Zertifikat werden für diesen Mandanten nicht angenommen. Ihr eigener Wortlaut unten sagt meist, was davon.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "Check the application (client) ID ("+v.AppID+") and the tenant in the profile.", "Anwendungs-ID ("+v.AppID+") und Mandanten der Verbindung prüfen.")},
				{Text: t(de, "Create a new client secret and paste its Value, or upload the certificate again.", "Einen neuen geheimen Clientschlüssel erstellen und seinen Wert einfügen oder das Zertifikat neu hochladen.")}}
		}},
	{Code: CodeTokenClientNotAllowed, Doc: docCC,
		Title: "The app may not get tokens this way", TitleDE: "Die App darf auf diesem Weg keine Token erhalten",
		Explanation:   "Entra ID answered unauthorized_client: the app exists but is not allowed to use client credentials here, for example because it is disabled or not set up for this tenant.",
		ExplanationDE: "Entra ID hat mit unauthorized_client geantwortet: die App gibt es, aber sie darf hier keine Client Credentials nutzen, etwa weil sie deaktiviert oder für diesen Mandanten nicht eingerichtet ist.",
		steps:         one("Open Enterprise applications → the app → Properties and check that it is enabled; grant admin consent in this tenant.", "Unternehmensanwendungen → die App → Eigenschaften öffnen und prüfen, ob sie aktiviert ist; in diesem Mandanten die Administratorzustimmung erteilen.")},
	{Code: CodeTokenThrottled, Doc: docCC,
		Title: "Entra ID is throttling token requests", TitleDE: "Entra ID drosselt die Tokenanfragen",
		Explanation:   "The token endpoint answered HTTP 429 (too many requests). Nothing is wrong with the configuration; wait as long as the answer asks, then try again unchanged.",
		ExplanationDE: "Der Token-Endpunkt hat mit HTTP 429 (zu viele Anfragen) geantwortet. An der Konfiguration ist nichts falsch; so lange warten, wie die Antwort verlangt, dann unverändert wiederholen.",
		steps:         one("Wait for the time given (Retry-After), then run the test again; reuse tokens until they expire instead of requesting one per message.", "Die genannte Zeit (Retry-After) abwarten, dann den Test wiederholen; Token bis zum Ablauf wiederverwenden statt je Nachricht eines anzufordern.")},
	{Code: CodeTokenUnavailable, Doc: "https://status.cloud.microsoft",
		Title: "Entra ID is temporarily unavailable", TitleDE: "Entra ID ist vorübergehend nicht verfügbar",
		Explanation:   "Entra ID said it could not answer right now (a transient error). Retrying unchanged should succeed.",
		ExplanationDE: "Entra ID hat gemeldet, gerade nicht antworten zu können (ein vorübergehender Fehler). Ein unveränderter neuer Versuch sollte gelingen.",
		steps:         one("Run the test again in a few minutes; check the Microsoft 365 service health page if it persists.", "Den Test in ein paar Minuten wiederholen; hält es an, den Dienststatus von Microsoft 365 prüfen.")},
}
