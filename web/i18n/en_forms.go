package i18n

// enForms holds the words of the forms' guidance in English: the credential's fields, the
// certificate upload and its errors, the test recipient and the confirmations after a change.
var enForms = map[string]string{
	"form.keep_secret":        "Leave the field empty to keep it; step 1's check then uses the stored secret.",
	"form.keep_cert":          "Leave the file and the key empty to keep it; step 1's check then uses the stored certificate.",
	"form.secret_guid":        "This looks like the Secret ID, not its Value. Copy the Value column (shown only right after the secret is created).",
	"form.cert_file":          "Certificate file",
	"form.cert_file_help":     "A PFX/PKCS#12 file (.pfx, .p12) with its password, or a PEM file holding the certificate and its unencrypted private key. Up to 256 KiB; choose it again if the form comes back.",
	"form.cert_password":      "PFX password",
	"form.cert_password_help": "Only for a PFX file. It opens the file once and is never stored.",
	"form.cert_paste":         "Or paste the certificate and its private key as PEM text:",

	"cert.unreadable":     "This file is neither a PFX/PKCS#12 file nor PEM text.",
	"cert.wrong_password": "The PFX password is wrong (or the file is damaged).",
	"cert.no_key":         "The file holds no private key: export the certificate with its private key (in Windows: “Yes, export the private key”).",
	"cert.no_cert":        "The file holds no certificate.",
	"cert.encrypted_pem":  "The private key in this PEM file is encrypted: upload a PFX file with its password instead, or export the key without a password.",
	"cert.mismatch":       "The private key does not belong to the certificate in the file.",
	"cert.expired":        "This certificate expired on %s: Entra refuses it. Create a new certificate and upload it to the app registration too.",
	"cert.not_rsa":        "The private key is not an RSA key; Entra app certificates need RSA.",
	"cert.empty":          "The file is empty.",

	"recipient.help_domains": "The connection's test recipient, or any address at %s.",
	"recipient.help_stored":  "Test messages go only to the connection's test recipient; an administrator can change it in the connection's settings.",
	"recipient.none":         "No test recipient is set: an administrator can set one in the connection's settings to send test messages.",
	"recipient.refused":      "%s is not allowed: choose the test recipient%s.",
	"recipient.refused_dom":  " or an address at %s",

	"notice.profile_created":      "Connection “%s” saved; its first test is running.",
	"notice.profile_created_only": "Connection “%s” saved.",
	"notice.profile_saved":        "Changes to “%s” saved.",
	"notice.profile_saved_run":    "Changes to “%s” saved; the test is running.",
	"notice.profile_deleted":      "Connection “%s” deleted. Its test runs stay in the history.",
	"notice.notes_saved":          "Notes saved.",
	"notice.user_created":         "User “%s” added.",
	"notice.user_deleted":         "User “%s” removed.",
	"notice.token_revoked":        "API token “%s” revoked.",
}
