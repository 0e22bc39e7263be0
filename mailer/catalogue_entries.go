package mailer

import "strings"

// catalogue is ordered: for SMTP replies the first matching row wins, so specific rows come
// before the general ones of the same code.
var catalogue = []entry{
	{Code: CodeInputInvalid, Title: "The connection settings are incomplete or malformed",
		Explanation: "smtpoauth did not contact Microsoft because a setting is not valid."},
	{Code: CodeInternal, Title: "smtpoauth could not run the test",
		Explanation: "An unexpected error stopped the test before Microsoft gave an answer."},

	// Entra ID token errors (FACTS.md §7).
	{Code: CodeTokenTenantNotFound, Title: "Entra ID does not know this tenant", Doc: docCC,
		Explanation: "The tenant ID or domain does not exist in this cloud. Either it has a typo, or the tenant lives in another Microsoft cloud (for example US Government or China).",
		steps: func(v values) []Step {
			return []Step{{Text: "Copy the Directory (tenant) ID from the Microsoft Entra admin center → Overview, and paste it into the profile."},
				{Text: "If the tenant is in a sovereign cloud, choose that cloud in the profile."}}
		}},
	{Code: CodeTokenTenantMalformed, Title: "The tenant value is not a tenant ID or domain", Doc: docCC,
		Explanation: "Entra ID could not read the tenant as a GUID or a DNS name. A placeholder or a path was probably pasted.",
		steps: func(v values) []Step {
			return []Step{{Text: "Enter the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com."}}
		}},
	{Code: CodeTokenAppNotFound, Title: "The application ID is not registered in this tenant", Doc: docCC,
		Explanation: "Entra ID found no application with this ID in the tenant. The application (client) ID may be mistyped, belong to another tenant, or be the object ID instead of the application ID.",
		steps: func(v values) []Step {
			return []Step{{Text: "Open App registrations → the app → Overview and copy the \"Application (client) ID\" (not the object ID)."},
				{Text: "Check that the tenant ID in the profile is the tenant where the app is registered."}}
		}},
	{Code: CodeTokenSecretInvalid, Title: "The client secret is wrong (was the secret's ID pasted instead of its value?)", Doc: docCC,
		Explanation: "Entra ID rejected the client secret. The most common cause is pasting the secret's ID (a GUID) instead of its Value, which the portal shows only once, right after the secret is created.",
		steps: func(v values) []Step {
			return []Step{{Text: "In App registrations → the app (" + v.AppID + ") → Certificates & secrets, create a new client secret."},
				{Text: "Copy the Value column immediately (not the Secret ID) and replace the secret in this profile."},
				{Text: "Delete the old secret once the test passes."}}
		}},
	{Code: CodeTokenSecretExpired, Title: "The client secret has expired", Doc: "https://aka.ms/NewClientSecret",
		Explanation: "Client secrets have an end date; this one has passed it. Mail stops working until a new secret is set.",
		steps: func(v values) []Step {
			return []Step{{Text: "In App registrations → the app (" + v.AppID + ") → Certificates & secrets, create a new client secret and copy its Value."},
				{Text: "Replace the secret in this profile and enter its expiry date, so the dashboard warns before the next one expires."},
				{Text: "Consider a certificate credential instead: it is safer and can last longer."}}
		}},
	{Code: CodeTokenNoCredential, Title: "No credential reached Entra ID", Doc: docCC,
		Explanation: "The token request carried neither a client secret nor a client assertion.",
		steps:       func(v values) []Step { return []Step{{Text: "Set a client secret or a certificate in the profile."}} }},
	{Code: CodeTokenNoSP, Title: "The app has no Enterprise application (service principal) in the tenant", Doc: "https://go.microsoft.com/fwlink/?linkid=2225119",
		Explanation: "The app registration exists but the tenant has no service principal for it — typical for a multi-tenant app that was never consented to in this tenant, or an app created by script.",
		steps: func(v values) []Step {
			return []Step{{Text: "Create the service principal, for example with Microsoft Graph PowerShell:", Command: "New-MgServicePrincipal -AppId " + PSQuote(v.AppID)},
				{Text: "Or grant admin consent to the app in this tenant; that creates the Enterprise application."}}
		}},
	{Code: CodeTokenCertUnknown, Title: "The certificate is not registered on the app", Doc: docCert,
		Explanation: "Entra ID could not find the certificate that signed the client assertion among the app's certificates.",
		steps: func(v values) []Step {
			return []Step{{Text: "In App registrations → the app (" + v.AppID + ") → Certificates & secrets → Certificates, upload the certificate's public part (.cer or .pem)."},
				{Text: "Compare the thumbprint shown there with the one in this test's transcript."}}
		}},
	{Code: CodeTokenScopeInvalid, Title: "The token scope is not valid", Doc: docCC,
		Explanation: "Client-credentials requests must ask for the resource with /.default, such as https://outlook.office365.com/.default. An override of the authority or cloud may be wrong.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the profile's cloud and authority override; smtpoauth sends the scope for the chosen cloud."}}
		}},
	{Code: CodeTokenResourceMissing, Title: "Exchange Online is not known in this tenant or cloud", Doc: docCC,
		Explanation: "Entra ID does not know the Exchange resource named in the scope. Usually the profile uses the wrong cloud for this tenant, or the tenant has no Exchange Online.",
		steps: func(v values) []Step {
			return []Step{{Text: "Choose the cloud the tenant lives in (global, US Government GCC High or DoD, or China)."}, {Text: "Check that the tenant has Exchange Online licences."}}
		}},
	{Code: CodeTokenConditional, Title: "Conditional Access blocks the app's token", Doc: "https://learn.microsoft.com/entra/identity/conditional-access/workload-identity",
		Explanation: "A Conditional Access policy for workload identities refused to issue a token to this app.",
		steps: func(v values) []Step {
			return []Step{{Text: "In Entra ID → Sign-in logs → Service principal sign-ins, find the failure for app " + v.AppID + " and the policy that blocked it."},
				{Text: "Exclude the app from that policy or allow the network the console runs in."}}
		}},
	{Code: CodeTokenRefused, Title: "Entra ID refused the token request", Doc: docCC,
		Explanation: "Entra ID answered with an error smtpoauth has no specific explanation for. Its message is quoted below; the AADSTS code is the best search term, and the trace and correlation IDs identify the request for Microsoft support.",
		steps: func(v values) []Step {
			return []Step{{Text: "Look up the AADSTS code at https://login.microsoftonline.com/error and follow its advice."}}
		}},
	{Code: CodeTokenNotJSON, Title: "The token endpoint did not answer like Entra ID", Doc: docCC,
		Explanation: "The token endpoint answered, but not with Entra ID's JSON. A proxy, a captive portal or a wrong authority override is in the way.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the authority override in the profile, or remove it."}, {Text: "Check for an HTTP proxy or firewall that rewrites answers from login.microsoftonline.com."}}
		}},
	{Code: CodeTokenServerError, Title: "The token endpoint had a server error", Doc: "https://status.cloud.microsoft",
		Explanation: "Entra ID's token endpoint answered with a server error (HTTP 5xx). This is usually temporary.",
		steps: func(v values) []Step {
			return []Step{{Text: "Run the test again in a few minutes."}, {Text: "Check the Microsoft 365 service health page if it persists."}}
		}},
	{Code: CodeTokenUnreachable, Title: "The token endpoint could not be reached", Doc: docCC,
		Explanation: "smtpoauth could not connect to Entra ID's token endpoint: the name did not resolve, the connection was refused or timed out, or its TLS certificate was not trusted.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check that the console's host can reach the authority on port 443 (DNS, firewall, proxy)."},
				{Text: "If a TLS-inspecting proxy is in the way, add its CA certificate to the system roots or point SSL_CERT_FILE at a bundle that contains it."}}
		}},

	// Token claims (FACTS.md §3).
	{Code: CodeClaimsRoleMissing, Title: "The token lacks SMTP.SendAsApp: permission or admin consent missing", Doc: docOAuth,
		Explanation: "Entra ID issued a token, but its roles claim does not contain SMTP.SendAsApp. Exchange would answer 535 5.7.3. The app registration needs the application permission SMTP.SendAsApp of \"Office 365 Exchange Online\", and an administrator must grant consent.",
		steps:       stepAdminConsent},
	{Code: CodeClaimsWrongAudience, Title: "The token is for another service, not Exchange Online", Doc: docOAuth,
		Explanation: "The token's audience is not Exchange Online (for example a Microsoft Graph token). Exchange only accepts tokens for its own resource, requested with the scope https://outlook.office365.com/.default (or the sovereign cloud's equivalent).",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the profile's cloud and authority override: the scope must be the Exchange resource of the tenant's cloud."}}
		}},
	{Code: CodeClaimsWrongTenant, Title: "The token was issued by another tenant", Doc: docCC,
		Explanation: "The token's tid claim is not the tenant in the profile, so Exchange would look for the service principal in the wrong organization.",
		steps: func(v values) []Step {
			return []Step{{Text: "Set the profile's tenant to the Directory (tenant) ID that owns the mailbox " + v.Mailbox + "."}}
		}},
	{Code: CodeClaimsWrongApp, Title: "The token belongs to another application", Doc: docCC,
		Explanation: "The token's appid claim differs from the profile's application ID.",
		steps:       func(v values) []Step { return []Step{{Text: "Check the application (client) ID in the profile."}} }},
	{Code: CodeClaimsExpired, Title: "The token is already expired", Doc: docCC,
		Explanation: "The token's expiry lies in the past: the console's clock is probably wrong.",
		steps: func(v values) []Step {
			return []Step{{Text: "Synchronise the clock of the machine that runs smtpoauth (NTP)."}}
		}},
	{Code: CodeClaimsNotJWT, Title: "The access token could not be read", Doc: docOAuth,
		Explanation: "The token endpoint returned an access token that is not a JWT, so its permissions cannot be checked. Exchange Online tokens are JWTs; the authority override may point to another service.",
		steps:       func(v values) []Step { return []Step{{Text: "Check or remove the profile's authority override."}} }},

	// Network and TLS.
	{Code: CodeTargetRefused, Title: "The console does not connect to this address", Doc: docMFD,
		Explanation: "The host resolves to a loopback, link-local or cloud-metadata address. The console refuses such targets so that it cannot be used to probe the network it runs in.",
		steps: func(v values) []Step {
			return []Step{{Text: "Use Exchange Online's own endpoints; an operator who really needs this host can allow private targets in the configuration."}}
		}},
	{Code: CodeSMTPDNS, Title: "The SMTP host name does not resolve", Doc: docMFD,
		Explanation: "DNS could not resolve the SMTP host. The host override may be mistyped, or the console has no DNS for the internet.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the SMTP host (smtp.office365.com:587 for the global cloud) and the console's DNS settings."}}
		}},
	{Code: CodeSMTPRefused, Title: "The SMTP server refused the connection", Doc: docMFD,
		Explanation: "Nothing accepted the TCP connection: wrong port, or a firewall rejects outgoing connections to port 587.",
		steps: func(v values) []Step {
			return []Step{{Text: "Use port 587 (STARTTLS); port 465 is not an SMTP AUTH endpoint of Exchange Online."}, {Text: "Allow outgoing TCP 587 from the console to the SMTP host."}}
		}},
	{Code: CodeSMTPUnreachable, Title: "The SMTP server could not be reached", Doc: docMFD,
		Explanation: "The network has no route to the SMTP host.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the console's network, routes and outgoing firewall for TCP 587."}}
		}},
	{Code: CodeSMTPTimeout, Title: "The SMTP server did not answer in time", Doc: docMFD,
		Explanation: "No answer came within the timeout. A firewall may silently drop the traffic, or the server stalled.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check that outgoing TCP 587 is allowed; a firewall that drops packets looks like this."}, {Text: "Run the test again; if it persists, raise the reply timeout."}}
		}},
	{Code: CodeSMTPClosed, Title: "The SMTP server closed the connection", Doc: docMFD,
		Explanation: "The server or something in between ended the connection without an SMTP reply.",
		steps: func(v values) []Step {
			return []Step{{Text: "Run the test again; a middlebox (proxy, IPS) that cuts SMTP connections also looks like this."}}
		}},
	{Code: CodeSMTPProtocol, Title: "The server's answer is not SMTP", Doc: docMFD,
		Explanation: "What came back does not follow the SMTP reply format: the host and port probably belong to another service.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the SMTP host and port: smtp.office365.com:587 for the global cloud."}}
		}},
	{Code: CodeEHLOInvalid, Title: "Exchange refused the EHLO name", Doc: docMFD,
		Explanation: "Exchange requires a syntactically valid domain name or address literal after EHLO.",
		reply:       replyIs(501, "5.5.4"),
		steps: func(v values) []Step {
			return []Step{{Text: "Give the host a valid fully-qualified name, or leave smtpoauth's default (an address literal)."}}
		}},
	{Code: CodeSTARTTLSMissing, Title: "The server does not offer STARTTLS, so the token was not sent", Doc: docMFD,
		Explanation: "Exchange Online always offers STARTTLS on port 587. Without it the token would travel in clear text, so smtpoauth stopped. Something between the console and Microsoft (a proxy or a firewall with SMTP inspection) is removing STARTTLS, or the host is not Exchange Online.",
		steps: func(v values) []Step {
			return []Step{{Text: "Check the SMTP host override: it must be Exchange Online's submission host."}, {Text: "Disable SMTP inspection (\"ESMTP fixup\") on firewalls between the console and the internet."}}
		}},
	{Code: CodeTLSVerify, Title: "The SMTP server's certificate could not be verified", Doc: docMFD,
		Explanation: "The TLS certificate does not chain to a trusted root or does not match the host name. smtpoauth never skips this check: sending a token to an unverified server would hand it to whoever is in the middle.",
		steps: func(v values) []Step {
			return []Step{{Text: "Connect by host name (smtp.office365.com), never by IP address."},
				{Text: "If a TLS-inspecting proxy is in the way, exempt Exchange Online from inspection or add its CA to the system roots (SSL_CERT_FILE)."}}
		}},
	{Code: CodeTLSVersion, Title: "TLS 1.2 or newer could not be agreed", Doc: "https://aka.ms/smtp_auth_tls",
		Explanation: "Exchange Online requires TLS 1.2 or newer; the connection offered only an older version.",
		reply:       func(c int, e, t string, _ Stage) bool { return e == "4.7.66" || has(t, "tls 1.0 and 1.1") },
		steps: func(v values) []Step {
			return []Step{{Text: "Remove any middlebox that downgrades TLS; smtpoauth itself only speaks TLS 1.2 and 1.3."}}
		}},
	{Code: CodeTLSHandshake, Title: "The TLS handshake failed", Doc: docMFD,
		Explanation: "STARTTLS was accepted but the TLS handshake did not complete.",
		steps: func(v values) []Step {
			return []Step{{Text: "Run the test again; check for middleboxes that interfere with TLS on port 587."}}
		}},
	{Code: CodeXOAUTH2NotOffered, Title: "The server does not offer AUTH XOAUTH2", Doc: docOAuth,
		Explanation: "After STARTTLS, Exchange Online advertises AUTH LOGIN XOAUTH2. This server does not: it is probably not Exchange Online, or SMTP AUTH is blocked on the path.",
		steps:       func(v values) []Step { return []Step{{Text: "Check the SMTP host override."}} }},

	// AUTH replies (FACTS.md §6.1).
	{Code: CodeAuthDisabledTenant, Title: "SMTP AUTH is disabled for the organization", Doc: docSMTPAuth,
		Explanation: "The tenant switched off SMTP client authentication, and that applies to OAuth as well as Basic. It can be enabled for the whole organization or only for the sending mailbox.",
		reply: func(c int, e, t string, _ Stage) bool {
			return e == "5.7.139" && has(t, "smtpclientauthentication") && !has(t, "mailbox")
		},
		steps: func(v values) []Step {
			return []Step{{Text: "See the organization setting (True means disabled):", Command: v.connect() + "\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
				stepSMTPAuthMailbox(v),
				{Text: "Or enable it for the whole organization:", Command: "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"},
				stepRetryLater("up to an hour")}
		}},
	{Code: CodeAuthDisabledMailbox, Title: "SMTP AUTH is disabled for the mailbox", Doc: docSMTPAuth,
		Explanation: "The sending mailbox has SMTP client authentication switched off.",
		reply: func(c int, e, t string, _ Stage) bool {
			return e == "5.7.139" && has(t, "smtpclientauthentication") && has(t, "mailbox")
		},
		steps: func(v values) []Step { return []Step{stepSMTPAuthMailbox(v), stepRetryLater("up to an hour")} }},
	{Code: CodeAuthPolicyBlocked, Title: "A sign-in policy blocked the authentication", Doc: docOAuth,
		Explanation: "Exchange says the request did not meet the criteria to be authenticated: a Conditional Access or similar policy refused the sign-in.",
		reply:       func(c int, e, t string, _ Stage) bool { return e == "5.7.139" && has(t, "criteria") },
		steps: func(v values) []Step {
			return []Step{{Text: "In Entra ID → Sign-in logs → Service principal sign-ins, find the failed sign-in of app " + v.AppID + " and the policy named there."}}
		}},
	{Code: CodeAuthBasicReply, Title: "Exchange answered as if Basic authentication was used", Doc: docSMTPAuth,
		Explanation: "This 5.7.139 reply concerns user name and password (Basic) sign-ins, which Microsoft is retiring. smtpoauth sent XOAUTH2, so the host is probably not Exchange Online's OAuth endpoint, or a relay in between rewrites the login.",
		reply: func(c int, e, t string, _ Stage) bool {
			return e == "5.7.139" && has(t, "basic authentication", "credentials were incorrect", "security defaults")
		},
		steps: func(v values) []Step {
			return []Step{{Text: "Check the SMTP host override; remove relays between the console and Exchange Online."}}
		}},
	{Code: CodeAuthUnsuccessful, Title: "Exchange rejected the token (535 5.7.3)", Doc: docOAuth,
		Explanation: "The token itself is fine — smtpoauth checked its audience, tenant and SMTP.SendAsApp role — so Exchange rejected the link between the app and the mailbox. In order of likelihood: the service principal is not registered in Exchange, or was registered with the App registration's object ID instead of the Enterprise application's; the service principal has no permission on the mailbox; the mailbox in user= is not the one that was granted; or a recent change has not reached Exchange yet.",
		reply:       func(c int, e, t string, _ Stage) bool { return c == 535 && (e == "5.7.3" || e == "") },
		steps: func(v values) []Step {
			steps := stepServicePrincipal(v)
			steps = append(steps, stepMailboxPermission(v),
				Step{Text: "Check that " + v.Mailbox + " is the mailbox's primary SMTP address (the one the permission was granted on):", Command: "Get-Mailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List PrimarySmtpAddress\nGet-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " | Where-Object User -like '*" + strings.ReplaceAll(v.ObjectID, "'", "''") + "*'"},
				stepRetryLater("Microsoft and vendors report 15 to 30 minutes after New-ServicePrincipal or Add-MailboxPermission"))
			return steps
		}},
	{Code: CodeAuthTemporary, Title: "Exchange had a temporary problem during authentication", Doc: docOAuth,
		Explanation: "Exchange answered the authentication with a temporary error (4xx). Nothing is wrong with the configuration as far as this reply says.",
		reply:       func(c int, e, t string, s Stage) bool { return s == StageAuth && c/100 == 4 },
		steps:       func(v values) []Step { return []Step{{Text: "Run the test again in a few minutes."}} }},

	// Submission replies.
	{Code: CodeMailNotAuth, Title: "Exchange says the client is not authenticated", Doc: docOAuth,
		Explanation: "MAIL FROM was refused because the session is not authenticated. With smtpoauth this means the authentication did not take effect.",
		reply:       replyIs(530, "5.7.57"),
		steps: func(v values) []Step {
			return []Step{{Text: "Run the test again; if it persists, report it with the transcript."}}
		}},
	{Code: CodeSendAsEnvelope, Title: "The mailbox may not send as this sender", Doc: docOAuth,
		Explanation: "The sender address differs from the mailbox that authenticated, and the service principal has no Send As right on it.",
		reply:       replyIs(550, "5.7.60"),
		steps:       func(v values) []Step { return []Step{stepSendAs(v)} }},
	{Code: CodeSenderThrottled, Title: "The mailbox is throttled after repeated errors", Doc: docCET,
		Explanation: "Exchange blocks SMTP AUTH submissions from a mailbox for a while after continuous errors (mailbox full, send-as denied, licence, too many or invalid recipients). Microsoft support cannot lift it.",
		reply:       func(c int, e, t string, _ Stage) bool { return c == 550 && has(t, "sender throttled") },
		steps: func(v values) []Step {
			return []Step{{Text: "Fix the cause named in the reply (for example the Send As permission), then wait for the throttling to end, or use another mailbox."}}
		}},
	{Code: CodeSendAsDenied, Title: "Send As denied for the From address", Doc: docOAuth,
		Explanation: "Exchange accepted the message but refused to submit it because the From address is not one the authenticated mailbox may send as. With client credentials, Send As must be granted explicitly.",
		reply:       func(c int, e, t string, _ Stage) bool { return has(t, "sendasdenied") },
		steps:       func(v values) []Step { return []Step{stepSendAs(v), stepRetryLater("up to an hour")} }},
	{Code: CodeThreadLimit, Title: "Too many connections are sending from this mailbox at once", Doc: docLimits,
		Explanation: "Exchange allows three concurrent submissions per mailbox; more are refused with 432 4.3.2.",
		reply:       func(c int, e, t string, _ Stage) bool { return e == "4.3.2" || has(t, "thread limit") },
		steps: func(v values) []Step {
			return []Step{{Text: "Limit the applications that send through " + v.Mailbox + " to three parallel connections, then retry."}}
		}},
	{Code: CodeQuotaExceeded, Title: "The mailbox has reached its daily recipient limit", Doc: docLimits,
		Explanation: "Exchange Online allows 10,000 recipients per day per mailbox (rolling 24 hours).",
		reply:       func(c int, e, t string, _ Stage) bool { return has(t, "submissionquotaexceeded") },
		steps: func(v values) []Step {
			return []Step{{Text: "Wait until the rolling 24-hour window frees up; use a bulk mail service for large volumes."}}
		}},
	{Code: CodeMailboxFull, Title: "The sending mailbox is full", Doc: docLimits,
		Explanation: "Every message sent through SMTP AUTH is saved in the mailbox's Sent Items, which has filled the mailbox.",
		reply:       func(c int, e, t string, _ Stage) bool { return e == "5.2.2" || has(t, "quotaexceeded") },
		steps: func(v values) []Step {
			return []Step{{Text: "Free space in " + v.Mailbox + ", or apply a retention policy that cleans Sent Items."}}
		}},
	{Code: CodeOutboundSpam, Title: "Outbound spam protection blocked the message", Doc: "https://security.microsoft.com/restrictedentities",
		Explanation: "Microsoft Defender flagged outgoing mail from this account as spam.",
		reply:       func(c int, e, t string, _ Stage) bool { return has(t, "outboundspamexception") },
		steps: func(v values) []Step {
			return []Step{{Text: "Investigate the account in Microsoft Defender and release it when it is clean."}}
		}},
	{Code: CodeRestrictedSender, Title: "The mailbox is restricted from sending", Doc: "https://security.microsoft.com/restrictedentities",
		Explanation: "The mailbox was put on the Restricted entities list after sending spam.",
		reply:       replyIs(550, "5.1.8"),
		steps: func(v values) []Step {
			return []Step{{Text: "Remove " + v.Mailbox + " from Restricted entities in the Microsoft Defender portal after securing it."}}
		}},
	{Code: CodeMailboxLogon, Title: "Exchange could not open the mailbox for the app", Doc: docOAuth,
		Explanation: "The mailbox logon failed while submitting. For client credentials this usually means the service principal lacks permission on the mailbox (reported, not confirmed by Microsoft).",
		reply: func(c int, e, t string, _ Stage) bool {
			return has(t, "mapiexceptionlogonfailed", "mailbox logon failure")
		},
		steps: func(v values) []Step { return []Step{stepMailboxPermission(v), stepRetryLater("15 to 30 minutes")} }},
	{Code: CodeRecipientNotFound, Title: "The test recipient does not exist", Doc: docMFD,
		Explanation: "Exchange could not find the recipient address in its directory. Authentication and the mailbox work; only the recipient is wrong.",
		reply:       func(c int, e, t string, _ Stage) bool { return e == "5.1.10" || has(t, "recipientnotfound") },
		steps:       func(v values) []Step { return []Step{{Text: "Check the test recipient's address."}} }},
	{Code: CodeTemporary, Title: "Exchange had a temporary problem", Doc: docMFD,
		Explanation: "Exchange answered with a temporary error (4xx). Such errors usually pass on their own.",
		reply:       func(c int, e, t string, _ Stage) bool { return c/100 == 4 },
		steps:       func(v values) []Step { return []Step{{Text: "Run the test again in a few minutes."}} }},
	{Code: CodeUnknownReply, Title: "Exchange refused the request", Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Text: "Search Microsoft's documentation for the enhanced status code in the reply, and attach this run's evidence pack to a support ticket."}}
		}},
}
