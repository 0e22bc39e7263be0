package web

import (
	"fmt"
	"strconv"
	"strings"
)

// SettingsView is "Use these settings in your application" after a passed run: what the test did,
// as values and as short programs for the clients people use. It never holds the secret; the
// programs read it from the environment (SMTP_CLIENT_SECRET) or a certificate file.
type SettingsView struct {
	Host     string
	Port     int
	TokenURL string
	// Authority is the sign-in URL with the tenant, as MSAL wants it.
	Authority, Scope, ClientID, Mailbox, From string
	// Certificate says the app signs in with a certificate; Thumbprint is its SHA-1 thumbprint.
	Certificate bool
	Thumbprint  string
	Snippets    []SnippetView
}

// SnippetView is one client's configuration, with its file name and a copy button.
type SnippetView struct {
	// ID is the element id of its code block; Lang names the client; File is a suggested file name.
	ID, Lang, File, Text string
}

// secretEnv is where every snippet reads the client secret from: never written into a file.
const secretEnv = "SMTP_CLIENT_SECRET"

// BuildSnippets fills in the snippets for s: Python (smtplib with MSAL), a token command for
// msmtp, msmtp, .NET (MailKit with MSAL) and PHPMailer. Each value is quoted for its language,
// so an address with a quote or a dollar sign stays a value.
func BuildSnippets(s SettingsView) []SnippetView {
	return []SnippetView{
		{ID: "snippet-python", Lang: "Python (smtplib + MSAL)", File: "send_mail.py", Text: pythonSnippet(s)},
		{ID: "snippet-token", Lang: "Token command (Python + MSAL)", File: "smtp-token.py", Text: tokenCommand(s)},
		{ID: "snippet-msmtp", Lang: "msmtp", File: "msmtprc", Text: msmtpSnippet(s)},
		{ID: "snippet-csharp", Lang: ".NET (MailKit + MSAL)", File: "SendMail.cs", Text: csharpSnippet(s)},
		{ID: "snippet-php", Lang: "PHPMailer", File: "send_mail.php", Text: phpSnippet(s)},
	}
}

// pyStr quotes a Python string literal: Go's escapes (\n, \xNN, \uNNNN, \UNNNNNNNN) mean the
// same in Python.
func pyStr(s string) string { return strconv.Quote(s) }

// msalApp is the MSAL client both Python programs share.
func msalApp(s SettingsView) string {
	cred := "os.environ[" + pyStr(secretEnv) + "]"
	if s.Certificate {
		cred = "{\"thumbprint\": " + pyStr(s.Thumbprint) + ", \"private_key\": open(\"app-key.pem\").read()}"
	}
	return "app = msal.ConfidentialClientApplication(\n" +
		"    " + pyStr(s.ClientID) + ",\n" +
		"    authority=" + pyStr(s.Authority) + ",\n" +
		"    client_credential=" + cred + ",\n" +
		")\n" +
		"result = app.acquire_token_for_client(scopes=[" + pyStr(s.Scope) + "])\n" +
		"if \"access_token\" not in result:\n" +
		"    sys.exit(result.get(\"error_description\", \"no token\"))\n"
}

func pythonSnippet(s SettingsView) string {
	return "# pip install msal\n" +
		"import os\nimport smtplib\nimport ssl\nimport sys\nfrom email.message import EmailMessage\n\nimport msal\n\n" +
		msalApp(s) +
		"token = result[\"access_token\"]\n\n" +
		"def xoauth2(challenge=None):\n" +
		"    # The first call sends user= and the token; an error challenge is answered empty.\n" +
		"    if challenge:\n        return \"\"\n" +
		"    return \"user=\" + " + pyStr(s.Mailbox) + " + \"\\x01auth=Bearer \" + token + \"\\x01\\x01\"\n\n" +
		"msg = EmailMessage()\n" +
		"msg[\"From\"] = " + pyStr(s.From) + "\n" +
		"msg[\"To\"] = \"someone@example.com\"\n" +
		"msg[\"Subject\"] = \"Test\"\n" +
		"msg.set_content(\"Sent with SMTP AUTH XOAUTH2.\")\n\n" +
		"with smtplib.SMTP(" + pyStr(s.Host) + ", " + strconv.Itoa(s.Port) + ") as smtp:\n" +
		"    # Without a context smtplib would not verify the server's certificate.\n" +
		"    smtp.starttls(context=ssl.create_default_context())\n" +
		"    smtp.ehlo()\n" +
		"    smtp.auth(\"XOAUTH2\", xoauth2)\n" +
		"    smtp.send_message(msg)\n"
}

func tokenCommand(s SettingsView) string {
	return "#!/usr/bin/env python3\n# Prints an access token for msmtp's passwordeval. pip install msal\n" +
		"import os\nimport sys\n\nimport msal\n\n" + msalApp(s) + "print(result[\"access_token\"])\n"
}

// msmtpArg quotes an msmtp configuration argument: double quotes, with \ and " escaped.
func msmtpArg(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func msmtpSnippet(s SettingsView) string {
	return "# ~/.msmtprc (chmod 600); smtp-token.py is the token command above\n" +
		"account        exchange\n" +
		"host           " + msmtpArg(s.Host) + "\n" +
		"port           " + strconv.Itoa(s.Port) + "\n" +
		"tls            on\n" +
		"tls_starttls   on\n" +
		"auth           xoauth2\n" +
		"user           " + msmtpArg(s.Mailbox) + "\n" +
		"from           " + msmtpArg(s.From) + "\n" +
		"passwordeval   \"python3 /usr/local/bin/smtp-token.py\"\n\n" +
		"account default : exchange\n"
}

// csStr quotes a C# string literal. C#'s \x takes up to four hex digits, so control characters
// are written as \u with exactly four.
func csStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func csharpSnippet(s SettingsView) string {
	cred, certUsing := ".WithClientSecret(Environment.GetEnvironmentVariable("+csStr(secretEnv)+"))", ""
	if s.Certificate {
		certUsing = "using System.Security.Cryptography.X509Certificates;\n"
		cred = ".WithCertificate(new X509Certificate2(\"app.pfx\", Environment.GetEnvironmentVariable(\"SMTP_PFX_PASSWORD\")))"
	}
	return "// dotnet add package MailKit; dotnet add package Microsoft.Identity.Client\n" +
		"using System;\n" + certUsing + "using System.Threading.Tasks;\n" +
		"using MailKit.Net.Smtp;\nusing MailKit.Security;\nusing Microsoft.Identity.Client;\nusing MimeKit;\n\n" +
		"static class SendMail\n{\n" +
		"    static async Task Main()\n    {\n" +
		"        var app = ConfidentialClientApplicationBuilder.Create(" + csStr(s.ClientID) + ")\n" +
		"            .WithAuthority(" + csStr(s.Authority) + ")\n" +
		"            " + cred + "\n" +
		"            .Build();\n" +
		"        var result = await app.AcquireTokenForClient(new[] { " + csStr(s.Scope) + " }).ExecuteAsync();\n\n" +
		"        var message = new MimeMessage();\n" +
		"        message.From.Add(MailboxAddress.Parse(" + csStr(s.From) + "));\n" +
		"        message.To.Add(MailboxAddress.Parse(\"someone@example.com\"));\n" +
		"        message.Subject = \"Test\";\n" +
		"        message.Body = new TextPart(\"plain\") { Text = \"Sent with SMTP AUTH XOAUTH2.\" };\n\n" +
		"        using (var client = new SmtpClient())\n        {\n" +
		"            await client.ConnectAsync(" + csStr(s.Host) + ", " + strconv.Itoa(s.Port) + ", SecureSocketOptions.StartTls);\n" +
		"            await client.AuthenticateAsync(new SaslMechanismOAuth2(" + csStr(s.Mailbox) + ", result.AccessToken));\n" +
		"            await client.SendAsync(message);\n" +
		"            await client.DisconnectAsync(true);\n" +
		"        }\n    }\n}\n"
}

// phpStr quotes a PHP single-quoted literal, where only \ and ' are special.
func phpStr(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func phpSnippet(s SettingsView) string {
	fetch := "        $response = file_get_contents(" + phpStr(s.TokenURL) + ", false, stream_context_create(['http' => [\n" +
		"            'method' => 'POST',\n" +
		"            'header' => \"Content-Type: application/x-www-form-urlencoded\\r\\n\",\n" +
		"            'content' => http_build_query([\n" +
		"                'grant_type' => 'client_credentials',\n" +
		"                'client_id' => " + phpStr(s.ClientID) + ",\n" +
		"                'client_secret' => getenv(" + phpStr(secretEnv) + "),\n" +
		"                'scope' => " + phpStr(s.Scope) + ",\n" +
		"            ]),\n        ]]));\n" +
		"        $token = json_decode($response, true)['access_token'];\n"
	if s.Certificate {
		// A certificate sign-in needs a signed client assertion: the token command (MSAL) makes it.
		fetch = "        // The token command above signs in with the certificate.\n" +
			"        $token = trim(shell_exec('python3 /usr/local/bin/smtp-token.py'));\n"
	}
	return "<?php\n// composer require phpmailer/phpmailer\n" +
		"use PHPMailer\\PHPMailer\\OAuthTokenProvider;\nuse PHPMailer\\PHPMailer\\PHPMailer;\n\n" +
		"require 'vendor/autoload.php';\n\n" +
		"final class ClientCredentialsToken implements OAuthTokenProvider\n{\n" +
		"    public function getOauth64(): string\n    {\n" + fetch +
		"        return base64_encode('user=' . " + phpStr(s.Mailbox) + " . \"\\001auth=Bearer \" . $token . \"\\001\\001\");\n" +
		"    }\n}\n\n" +
		"$mail = new PHPMailer(true);\n" +
		"$mail->isSMTP();\n" +
		"$mail->Host = " + phpStr(s.Host) + ";\n" +
		"$mail->Port = " + strconv.Itoa(s.Port) + ";\n" +
		"$mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;\n" +
		"$mail->SMTPAuth = true;\n" +
		"$mail->AuthType = 'XOAUTH2';\n" +
		"$mail->setOAuth(new ClientCredentialsToken());\n" +
		"$mail->setFrom(" + phpStr(s.From) + ");\n" +
		"$mail->addAddress('someone@example.com');\n" +
		"$mail->Subject = 'Test';\n" +
		"$mail->Body = 'Sent with SMTP AUTH XOAUTH2.';\n" +
		"$mail->send();\n"
}
