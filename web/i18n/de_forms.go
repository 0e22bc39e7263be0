package i18n

// deForms holds the words of the forms' guidance in German.
var deForms = map[string]string{
	"form.keep_secret":        "Feld leer lassen, um ihn zu behalten; die Prüfung in Schritt 1 nutzt dann den gespeicherten Schlüssel.",
	"form.keep_cert":          "Datei und Schlüssel leer lassen, um es zu behalten; die Prüfung in Schritt 1 nutzt dann das gespeicherte Zertifikat.",
	"form.secret_guid":        "Das sieht nach der geheimen ID aus, nicht nach dem Wert. Kopieren Sie die Spalte „Wert“ (nur direkt nach dem Erstellen sichtbar).",
	"form.cert_file":          "Zertifikatsdatei",
	"form.cert_file_help":     "Eine PFX-/PKCS#12-Datei (.pfx, .p12) mit Kennwort oder eine PEM-Datei mit Zertifikat und unverschlüsseltem privatem Schlüssel. Höchstens 256 KiB; kommt das Formular zurück, die Datei bitte erneut auswählen.",
	"form.cert_password":      "PFX-Kennwort",
	"form.cert_password_help": "Nur für eine PFX-Datei. Es öffnet die Datei einmal und wird nicht gespeichert.",
	"form.cert_paste":         "Oder Zertifikat und privaten Schlüssel als PEM-Text einfügen:",

	"cert.unreadable":     "Diese Datei ist weder eine PFX-/PKCS#12-Datei noch PEM-Text.",
	"cert.wrong_password": "Das PFX-Kennwort ist falsch (oder die Datei ist beschädigt).",
	"cert.no_key":         "Die Datei enthält keinen privaten Schlüssel: Exportieren Sie das Zertifikat mit privatem Schlüssel (unter Windows: „Ja, privaten Schlüssel exportieren“).",
	"cert.no_cert":        "Die Datei enthält kein Zertifikat.",
	"cert.encrypted_pem":  "Der private Schlüssel in dieser PEM-Datei ist verschlüsselt: Laden Sie stattdessen eine PFX-Datei mit Kennwort hoch oder exportieren Sie den Schlüssel ohne Kennwort.",
	"cert.mismatch":       "Der private Schlüssel gehört nicht zum Zertifikat in der Datei.",
	"cert.expired":        "Dieses Zertifikat ist am %s abgelaufen; Entra lehnt es ab. Erstellen Sie ein neues Zertifikat und laden Sie es auch in der App-Registrierung hoch.",
	"cert.not_rsa":        "Der private Schlüssel ist kein RSA-Schlüssel; Entra-App-Zertifikate brauchen RSA.",
	"cert.empty":          "Die Datei ist leer.",

	"recipient.help_domains": "Der Testempfänger der Verbindung oder eine beliebige Adresse unter %s.",
	"recipient.help_stored":  "Testnachrichten gehen nur an den Testempfänger der Verbindung; ein Administrator kann ihn in den Einstellungen der Verbindung ändern.",
	"recipient.none":         "Kein Testempfänger hinterlegt: Ein Administrator kann in den Einstellungen der Verbindung einen eintragen, um Testnachrichten zu senden.",
	"recipient.refused":      "%s ist nicht erlaubt: Wählen Sie den Testempfänger%s.",
	"recipient.refused_dom":  " oder eine Adresse unter %s",

	"notice.profile_created":      "Verbindung „%s“ gespeichert; der erste Test läuft.",
	"notice.profile_created_only": "Verbindung „%s“ gespeichert.",
	"notice.profile_saved":        "Änderungen an „%s“ gespeichert.",
	"notice.profile_saved_run":    "Änderungen an „%s“ gespeichert; der Test läuft.",
	"notice.profile_deleted":      "Verbindung „%s“ gelöscht. Ihre Testläufe bleiben im Verlauf.",
	"notice.notes_saved":          "Notizen gespeichert.",
	"notice.user_created":         "Benutzer „%s“ angelegt.",
	"notice.user_deleted":         "Benutzer „%s“ entfernt.",
	"notice.token_revoked":        "API-Token „%s“ widerrufen.",
}
