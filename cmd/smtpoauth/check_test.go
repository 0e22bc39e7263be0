package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// catalogueCase reproduces one diagnosis end to end: a scenario of the standard world, maybe a
// fault or changed flags, and what `smtpoauth check` must then report.
type catalogueCase struct {
	code     string
	scenario string
	faults   mailertest.Faults
	flags    func(args []string, srv *mailertest.Server) []string
	stage    mailer.Stage
	words    []string // key remediation words the output must contain
}

const suffix = " [AM0PR06CA0126.eurprd06.prod.outlook.com 2024-02-14T14:50:26.590Z 08DC2D372B4C3DED]"

// setFlag replaces a flag's value in an argument list.
func setFlag(args []string, name, value string) []string {
	out := append([]string(nil), args...)
	for i := range out {
		if out[i] == name && i+1 < len(out) {
			out[i+1] = value
			return out
		}
	}
	return append(out, name, value)
}

func catalogueCases() []catalogueCase {
	reply := func(at, text string) mailertest.Faults {
		return mailertest.Faults{Replies: map[string]string{at: text}}
	}
	return []catalogueCase{
		{code: mailer.CodeTokenTenantNotFound, scenario: "unknown-tenant", stage: mailer.StageToken, words: []string{"Directory (tenant) ID", "AADSTS90002"}},
		{code: mailer.CodeTokenTenantMalformed, scenario: "works", faults: mailertest.Faults{TokenError: 900023}, stage: mailer.StageToken, words: []string{"GUID"}},
		{code: mailer.CodeTokenAppNotFound, scenario: "unknown-app", stage: mailer.StageToken, words: []string{"Application (client) ID"}},
		{code: mailer.CodeTokenSecretInvalid, scenario: "wrong-secret", stage: mailer.StageToken, words: []string{"Value column", "not the Secret ID", "looks like a GUID"}},
		{code: mailer.CodeTokenSecretExpired, scenario: "expired-secret", stage: mailer.StageToken, words: []string{"new client secret", "expiry date"}},
		{code: mailer.CodeTokenNoCredential, scenario: "works", faults: mailertest.Faults{TokenError: 7000218}, stage: mailer.StageToken, words: []string{"client secret or a certificate"}},
		{code: mailer.CodeTokenNoSP, scenario: "no-enterprise-app", stage: mailer.StageToken, words: []string{"New-MgServicePrincipal", "admin consent"}},
		{code: mailer.CodeTokenCertUnknown, scenario: "certificate", flags: unregisteredCertificate, stage: mailer.StageToken, words: []string{"upload the certificate", "thumbprint"}},
		{code: mailer.CodeTokenScopeInvalid, scenario: "works", faults: mailertest.Faults{TokenError: 70011}, stage: mailer.StageToken, words: []string{"/.default"}},
		{code: mailer.CodeTokenResourceMissing, scenario: "works", flags: func(a []string, _ *mailertest.Server) []string { return setFlag(a, "--cloud", "usgov-gcchigh") }, stage: mailer.StageToken, words: []string{"cloud the tenant lives in"}},
		{code: mailer.CodeTokenConditional, scenario: "conditional-access", stage: mailer.StageToken, words: []string{"Service principal sign-ins"}},
		{code: mailer.CodeTokenRefused, scenario: "works", faults: mailertest.Faults{TokenError: 4242}, stage: mailer.StageToken, words: []string{"AADSTS4242", "login.microsoftonline.com/error"}},
		{code: mailer.CodeTokenNotJSON, scenario: "works", faults: mailertest.Faults{TokenNotJSON: true}, stage: mailer.StageToken, words: []string{"proxy"}},
		{code: mailer.CodeTokenServerError, scenario: "works", faults: mailertest.Faults{TokenHTTPStatus: 503}, stage: mailer.StageToken, words: []string{"service health"}},
		{code: mailer.CodeTokenUnreachable, scenario: "works", flags: func(a []string, srv *mailertest.Server) []string {
			return setFlag(setFlag(a, "--authority", "https://127.0.0.1:1"), "--allowed-hosts", allowFake(srv, "127.0.0.1:1"))
		}, stage: mailer.StageToken, words: []string{"port 443"}},
		{code: mailer.CodeAuthUnsuccessfulNoRoles, scenario: "missing-role", stage: mailer.StageAuth, words: []string{"Grant admin consent", "SMTP.SendAsApp", "New-ManagementRoleAssignment"}},
		{code: mailer.CodeAuthUnsuccessfulNoRoles, scenario: "rbac-out-of-scope", stage: mailer.StageAuth, words: []string{"Test-ServicePrincipalAuthorization -Identity '11111111-aaaa-4bbb-8ccc-000000000008' -Resource 'frontdesk@contoso.com'", "-Role 'Application SMTP.SendAsApp' -App '11111111-aaaa-4bbb-8ccc-000000000008'", "30 minutes to 2 hours"}},
		{code: mailer.CodeClaimsWrongAudience, scenario: "works", faults: mailertest.Faults{MutateClaims: func(c map[string]any) { c["aud"] = "https://graph.microsoft.com" }}, stage: mailer.StageClaims, words: []string{"Exchange resource"}},
		{code: mailer.CodeClaimsWrongTenant, scenario: "works", faults: mailertest.Faults{MutateClaims: func(c map[string]any) { c["tid"] = mailertest.FabrikamTenantID }}, stage: mailer.StageClaims, words: []string{"owns the mailbox"}},
		{code: mailer.CodeClaimsWrongApp, scenario: "works", faults: mailertest.Faults{MutateClaims: func(c map[string]any) { c["appid"] = "99999999-9999-4999-8999-999999999999" }}, stage: mailer.StageClaims, words: []string{"application (client) ID"}},
		{code: mailer.CodeClaimsExpired, scenario: "works", faults: mailertest.Faults{MutateClaims: func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }}, stage: mailer.StageClaims, words: []string{"NTP"}},
		{code: mailer.CodeClaimsNotJWT, scenario: "works", faults: mailertest.Faults{OpaqueToken: true}, stage: mailer.StageClaims, words: []string{"authority override"}},
		{code: mailer.CodeSMTPRefused, scenario: "works", flags: func(a []string, srv *mailertest.Server) []string {
			return setFlag(setFlag(a, "--smtp-host", "127.0.0.1:1"), "--allowed-hosts", allowFake(srv, "127.0.0.1:1"))
		}, stage: mailer.StageConnect, words: []string{"port 587"}},
		{code: mailer.CodeSMTPTimeout, scenario: "works", faults: mailertest.Faults{StallBanner: true}, stage: mailer.StageBanner, words: []string{"firewall"}},
		{code: mailer.CodeSMTPClosed, scenario: "works", faults: mailertest.Faults{DropAt: "AUTH"}, stage: mailer.StageAuth, words: []string{"middlebox"}},
		{code: mailer.CodeSMTPProtocol, scenario: "works", faults: reply("BANNER", "HTTP/1.1 400 Bad Request"), stage: mailer.StageBanner, words: []string{"smtp.office365.com:587"}},
		{code: mailer.CodeEHLOInvalid, scenario: "works", faults: reply("EHLO", "501 5.5.4 Invalid domain name"+suffix), stage: mailer.StageEHLO, words: []string{"fully-qualified"}},
		{code: mailer.CodeSTARTTLSMissing, scenario: "works", faults: mailertest.Faults{NoSTARTTLS: true}, stage: mailer.StageSTARTTLS, words: []string{"ESMTP fixup"}},
		{code: mailer.CodeTLSVerify, scenario: "works", faults: mailertest.Faults{WrongCertificate: true}, stage: mailer.StageTLS, words: []string{"never by IP address"}},
		{code: mailer.CodeTLSVersion, scenario: "works", faults: mailertest.Faults{TLS10Only: true}, stage: mailer.StageTLS, words: []string{"TLS 1.2 and 1.3"}},
		{code: mailer.CodeTLSHandshake, scenario: "works", faults: mailertest.Faults{GarbageAfterSTARTTLS: true}, stage: mailer.StageTLS, words: []string{"middleboxes"}},
		{code: mailer.CodeXOAUTH2NotOffered, scenario: "works", faults: mailertest.Faults{NoXOAUTH2: true}, stage: mailer.StageAuth, words: []string{"SMTP host override"}},
		{code: mailer.CodeAuthUnsuccessful, scenario: "no-service-principal", stage: mailer.StageAuth, words: []string{"New-ServicePrincipal -AppId '11111111-aaaa-4bbb-8ccc-000000000004' -ObjectId 'a1000000-0000-4000-8000-000000000004'", "Add-MailboxPermission -Identity 'billing@contoso.com'", "15 to 30 minutes"}},
		{code: mailer.CodeAuthUnsuccessful, scenario: "wrong-object-id", stage: mailer.StageAuth, words: []string{"-ObjectId 'a1000000-0000-4000-8000-000000000005'", "not the App registration's"}},
		{code: mailer.CodeAuthUnsuccessful, scenario: "no-mailbox-permission", stage: mailer.StageAuth, words: []string{"Add-MailboxPermission -Identity 'frontdesk@contoso.com' -User 'a1000000-0000-4000-8000-000000000001' -AccessRights FullAccess"}},
		{code: mailer.CodeAuthDisabledTenant, scenario: "smtp-auth-disabled", stage: mailer.StageAuth, words: []string{"Set-TransportConfig -SmtpClientAuthenticationDisabled $false", "Set-CASMailbox -Identity 'billing@fabrikam.onmicrosoft.com'"}},
		{code: mailer.CodeAuthDisabledMailbox, scenario: "smtp-auth-disabled-mailbox", stage: mailer.StageAuth, words: []string{"Set-CASMailbox -Identity 'scanner@contoso.com' -SmtpClientAuthenticationDisabled $false"}},
		{code: mailer.CodeAuthPolicyBlocked, scenario: "works", faults: reply("AUTH", "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator."+suffix), stage: mailer.StageAuth, words: []string{"Sign-in logs"}},
		{code: mailer.CodeAuthSecurityDefaults, scenario: "works", faults: reply("AUTH", "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."+suffix), stage: mailer.StageAuth, words: []string{"Manage security defaults"}},
		{code: mailer.CodeAuthBasicReply, scenario: "works", faults: reply("AUTH", "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BM1P287CA0015.INDP287.PROD.OUTLOOK.COM]"), stage: mailer.StageAuth, words: []string{"relays"}},
		{code: mailer.CodeAuthTemporary, scenario: "works", faults: reply("AUTH", "454 4.7.0 Temporary server error. Please try again later. PRX4 [AM5PR0701CA0008.eurprd07.prod.outlook.com]"), stage: mailer.StageAuth, words: []string{"again in a few minutes"}},
		{code: mailer.CodeTLSVersion, scenario: "works", faults: reply("AUTH", "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [SA9P221CA0019.NAMP221.PROD.OUTLOOK.COM]"), stage: mailer.StageAuth, words: []string{"downgrades TLS"}},
		{code: mailer.CodeMailNotAuth, scenario: "works", faults: reply("MAIL", "530 5.7.57 Client not authenticated to send mail."+suffix), stage: mailer.StageMail, words: []string{"transcript"}},
		{code: mailer.CodeSendAsEnvelope, scenario: "send-as-denied", faults: reply("MAIL", "550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]"), stage: mailer.StageMail, words: []string{"Add-RecipientPermission -Identity 'noreply@contoso.com' -Trustee 'a1000000-0000-4000-8000-000000000001' -AccessRights SendAs"}},
		{code: mailer.CodeSendAsDenied, scenario: "send-as-denied", stage: mailer.StageData, words: []string{"Add-RecipientPermission -Identity 'noreply@contoso.com'"}},
		{code: mailer.CodeSenderThrottled, scenario: "works", faults: reply("MAIL", "550 5.2.252 Sender throttled due to continuous send as denied errors."), stage: mailer.StageMail, words: []string{"wait for the throttling"}},
		{code: mailer.CodeThreadLimit, scenario: "works", faults: mailertest.Faults{ThreadLimit: true}, stage: mailer.StageData, words: []string{"three parallel connections"}},
		{code: mailer.CodeQuotaExceeded, scenario: "works", faults: reply("MESSAGE", "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception"), stage: mailer.StageData, words: []string{"24-hour"}},
		{code: mailer.CodeMailboxFull, scenario: "works", faults: reply("MESSAGE", "554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded"), stage: mailer.StageData, words: []string{"retention policy"}},
		{code: mailer.CodeOutboundSpam, scenario: "works", faults: reply("MESSAGE", "554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message"), stage: mailer.StageData, words: []string{"Defender"}},
		{code: mailer.CodeRestrictedSender, scenario: "works", faults: reply("MAIL", "550 5.1.8 Access denied, bad outbound sender"), stage: mailer.StageMail, words: []string{"Restricted entities"}},
		{code: mailer.CodeMailboxLogon, scenario: "works", faults: reply("MESSAGE", "430 4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:ConnectionFailedTransientException.MapiExceptionLogonFailed; Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox."), stage: mailer.StageData, words: []string{"-AccessRights FullAccess"}},
		{code: mailer.CodeRecipientNotFound, scenario: "recipient-unknown", stage: mailer.StageRcpt, words: []string{"test recipient"}},
		{code: mailer.CodeTemporary, scenario: "works", faults: reply("MESSAGE", "451 4.3.111 Temporary server error. Please try again later MRH1 [Hostname=GVXP192MB1782.EURP192.PROD.OUTLOOK.COM]"), stage: mailer.StageData, words: []string{"again in a few minutes"}},
		{code: mailer.CodeUnknownReply, scenario: "works", faults: reply("RCPT", "550 5.9.99 Something Exchange has never said before"), stage: mailer.StageRcpt, words: []string{"5.9.99 Something Exchange has never said before", "RCPT TO"}},
		// Replies Exchange Online documents for client submission, and unknown replies by their RFC 3463 subject.
		{code: mailer.CodeBasicAuthRetired, scenario: "works", faults: reply("AUTH", "550 5.7.30 Basic authentication is not supported for Client Submission."), stage: mailer.StageAuth, words: []string{"OAuth (XOAUTH2)"}},
		{code: mailer.CodeTokenExpiring, scenario: "works", faults: reply("AUTH", "501 5.5.127 token about to expire"), stage: mailer.StageAuth, words: []string{"before the old one expires"}},
		{code: mailer.CodeXOAUTH2DataInvalid, scenario: "works", faults: reply("AUTH", "501 5.5.124 Invalid XOAUTH2 auth data - User address provided is not valid."), stage: mailer.StageAuth, words: []string{"full email address"}},
		{code: mailer.CodeAuthTypeUnknown, scenario: "works", faults: reply("AUTH", "504 5.7.4 Unrecognized authentication type"+suffix), stage: mailer.StageAuth, words: []string{"EHLO answer after STARTTLS"}},
		{code: mailer.CodeSTARTTLSRequired, scenario: "works", faults: reply("MAIL", "451 5.7.3 STARTTLS is required to send mail"+suffix), stage: mailer.StageMail, words: []string{"ESMTP fixup"}},
		{code: mailer.CodeServiceUnavailable, scenario: "works", faults: reply("EHLO", "421 4.3.2 Service not active"+suffix), stage: mailer.StageEHLO, words: []string{"service health"}},
		{code: mailer.CodeServerBusy, scenario: "works", faults: reply("MAIL", "451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (S77719)"), stage: mailer.StageMail, words: []string{"spread bulk sending"}},
		{code: mailer.CodeDailyRecipientLimit, scenario: "works", faults: reply("RCPT", "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients"), stage: mailer.StageRcpt, words: []string{"24-hour"}},
		{code: mailer.CodeSpamAbuse, scenario: "works", faults: reply("MAIL", "550 5.7.501 Access denied, spam abuse detected."), stage: mailer.StageMail, words: []string{"Restricted entities"}},
		{code: mailer.CodeExternalForwarding, scenario: "works", faults: reply("MESSAGE", "550 5.7.520 Access denied, Your organization does not allow external forwarding."), stage: mailer.StageData, words: []string{"forwarding rule"}},
		{code: mailer.CodeUnregisteredDomain, scenario: "works", faults: reply("MESSAGE", "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains"), stage: mailer.StageData, words: []string{"accepted domain"}},
		{code: mailer.CodeTenantBlocked, scenario: "works", faults: reply("MESSAGE", "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP."), stage: mailer.StageData, words: []string{"support case"}},
		{code: mailer.CodeReplyOther, scenario: "works", faults: reply("MAIL", "550 5.0.350 Generic error"), stage: mailer.StageMail, words: []string{"5.0.350", "permanent failure"}},
		{code: mailer.CodeReplyAddressing, scenario: "works", faults: reply("RCPT", "550 5.1.1 User unknown"), stage: mailer.StageRcpt, words: []string{"bad destination mailbox address"}},
		{code: mailer.CodeReplyMailbox, scenario: "works", faults: reply("MAIL", "552 5.2.3 Message too large"), stage: mailer.StageMail, words: []string{"size limit"}},
		{code: mailer.CodeReplyMailSystem, scenario: "works", faults: reply("MESSAGE", "452 4.3.1 Insufficient system resources"), stage: mailer.StageData, words: []string{"transient failure", "mail system full"}},
		{code: mailer.CodeReplyNetwork, scenario: "works", faults: reply("MESSAGE", "451 4.4.4 Unable to route"), stage: mailer.StageData, words: []string{"unable to route"}},
		{code: mailer.CodeReplyProtocol, scenario: "works", faults: reply("MAIL", "555 5.5.4 Unsupported option"), stage: mailer.StageMail, words: []string{"invalid command arguments"}},
		{code: mailer.CodeReplyContent, scenario: "works", faults: reply("MESSAGE", "554 5.6.0 Corrupt message content"), stage: mailer.StageData, words: []string{"without attachments"}},
		{code: mailer.CodeReplySecurity, scenario: "works", faults: reply("MAIL", "550 5.7.1 Delivery not authorized"), stage: mailer.StageMail, words: []string{"delivery not authorized", "message trace"}},
		// Token answers decided from the AADSTS code alone, and from the HTTP status.
		{code: mailer.CodeTokenTenantMissing, scenario: "works", faults: mailertest.Faults{TokenError: 50059}, stage: mailer.StageToken, words: []string{"common or organizations"}},
		{code: mailer.CodeTokenAppDisabled, scenario: "works", faults: mailertest.Faults{TokenError: 7000112}, stage: mailer.StageToken, words: []string{"Enabled for users to sign in"}},
		{code: mailer.CodeTokenConsentMissing, scenario: "works", faults: mailertest.Faults{TokenError: 65001}, stage: mailer.StageToken, words: []string{"Grant admin consent"}},
		{code: mailer.CodeTokenAssertionTime, scenario: "works", faults: mailertest.Faults{TokenError: 700024}, stage: mailer.StageToken, words: []string{"NTP"}},
		{code: mailer.CodeTokenAssertionAudience, scenario: "works", faults: mailertest.Faults{TokenError: 700023}, stage: mailer.StageToken, words: []string{"tenant's cloud"}},
		{code: mailer.CodeTokenAssertionInvalid, scenario: "works", faults: mailertest.Faults{TokenError: 50013}, stage: mailer.StageToken, words: []string{"key file belongs"}},
		{code: mailer.CodeTokenRequestMalformed, scenario: "works", faults: mailertest.Faults{TokenError: 900144}, stage: mailer.StageToken, words: []string{"HTTP proxy"}},
		{code: mailer.CodeTokenUserCredentials, scenario: "works", faults: mailertest.Faults{TokenError: 50126}, stage: mailer.StageToken, words: []string{"never sends a user's password"}},
		{code: mailer.CodeTokenFlowNotEnabled, scenario: "works", faults: mailertest.Faults{TokenError: 700054}, stage: mailer.StageToken, words: []string{"meant for SMTP"}},
		{code: mailer.CodeTokenUnavailable, scenario: "works", faults: mailertest.Faults{TokenError: 90033}, stage: mailer.StageToken, words: []string{"service health"}},
		{code: mailer.CodeTokenThrottled, scenario: "works", faults: mailertest.Faults{TokenHTTPStatus: 429}, stage: mailer.StageToken, words: []string{"Retry-After"}},
	}
}

// unregisteredCertificate swaps the scenario's certificate for one the app does not know.
func unregisteredCertificate(args []string, _ *mailertest.Server) []string {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "not registered"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	dir, _ := os.MkdirTemp("", "cert")
	os.WriteFile(filepath.Join(dir, "c.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "k.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	return setFlag(setFlag(args, "--cert-file", filepath.Join(dir, "c.pem")), "--key-file", filepath.Join(dir, "k.pem"))
}

// Diagnoses that cannot be produced through the CLI without reaching outside this machine
// (a DNS server, an unroutable network); mailer's tests reproduce them with an injected dialer.
// Input errors are reported as usage errors (exit 2) before any diagnosis is made.
var notThroughCLI = map[string]string{
	mailer.CodeSMTPDNS:         "TestCheck_NetworkFailuresAtConnect",
	mailer.CodeSMTPUnreachable: "TestCheck_NetworkFailuresAtConnect",
	mailer.CodeInputInvalid:    "TestCheckCLI_BadInput",
	mailer.CodeTargetRefused:   "the console's policy, not the CLI's: handlers TestTestNow_StoredBadOverrideRefusedByEngine",
	mailer.CodeInternal:        "never expected",
	// The fake's refusals for unknown codes say invalid_request; these two need another error value.
	mailer.CodeTokenClientRejected:   "mailer TestDiagnose_TokenErrorValueDecidesWhenTheCodeDoesNot",
	mailer.CodeTokenClientNotAllowed: "mailer TestDiagnose_TokenErrorValueDecidesWhenTheCodeDoesNot",
	// Kept so that runs stored before both authorisation models were known still read; a token
	// without roles now goes on to AUTH (TestCheckCLI_RBACTenantPassesWithoutRoles).
	mailer.CodeClaimsRoleMissing: "no longer produced",
}

func TestCheckCLI_EveryDiagnosisEndToEnd(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range catalogueCases() {
		covered[tc.code] = true
		t.Run(tc.code+"/"+tc.scenario, func(t *testing.T) {
			t.Parallel()
			srv, scenarios, caFile := fakeExchange(t)
			srv.SetFaults(tc.faults)
			sc := scenario(t, scenarios, tc.scenario)
			args, env := checkArgs(t, srv, sc, caFile)
			if tc.flags != nil {
				args = tc.flags(args, srv)
			}
			res := runCLI(t, env, "", append(args, "--json")...)
			if res.code != 1 {
				t.Fatalf("got exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			var out struct {
				OK        bool
				Stage     mailer.Stage
				Diagnosis mailer.Diagnosis
			}
			if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
				t.Fatalf("--json output is not JSON: %v\n%s", err, res.stdout)
			}
			if out.OK || out.Diagnosis.Code != tc.code || out.Stage != tc.stage {
				t.Fatalf("got %s at %s, want %s at %s\n%s", out.Diagnosis.Code, out.Stage, tc.code, tc.stage, res.stdout)
			}
			human := runCLI(t, env, "", args...)
			all := human.stdout + human.stderr
			for _, w := range tc.words {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			if !strings.Contains(human.stdout, "FAILED at "+string(tc.stage)) || !strings.Contains(human.stdout, "["+tc.code+"]") {
				t.Errorf("human verdict lacks the stage and code:\n%s", human.stdout)
			}
		})
	}
	for _, d := range mailer.Catalogue() {
		if !covered[d.Code] && notThroughCLI[d.Code] == "" {
			t.Errorf("diagnosis %s is in the catalogue but no end-to-end case reproduces it", d.Code)
		}
	}
}

func TestCheckCLI_Passes(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	for _, name := range []string{"works", "works-domain-tenant", "certificate", "rbac-works"} {
		t.Run(name, func(t *testing.T) {
			sc := scenario(t, scenarios, name)
			args, env := checkArgs(t, srv, sc, caFile)
			res := runCLI(t, env, "", args...)
			if res.code != 0 {
				t.Fatalf("got exit %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
			}
			for _, want := range []string{"S: 220 ", "C: STARTTLS", "C: AUTH XOAUTH2", "S: 235 2.7.0 Authentication successful", "PASSED", "a1000000-0000-4000-8000-00000000000"} {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, res.stdout)
				}
			}
			if sc.To != "" && !strings.Contains(res.stdout, "sent a test message to "+sc.To) {
				t.Errorf("no sent message in verdict:\n%s", res.stdout)
			}
		})
	}
}

func TestCheckCLI_JSON(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	args, env := checkArgs(t, srv, scenario(t, scenarios, "works"), caFile)
	res := runCLI(t, env, "", append(args, "--json")...)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || res.code != 0 {
		t.Fatalf("exit %d, %v:\n%s", res.code, err, res.stdout)
	}
	for _, key := range []string{"ok", "stage", "claims", "transcript", "timings_ms"} {
		if _, ok := out[key]; !ok {
			t.Errorf("JSON lacks %q", key)
		}
	}
	if out["stage"] != "done" || out["ok"] != true {
		t.Errorf("got ok=%v stage=%v, want true done", out["ok"], out["stage"])
	}
}

// A tenant set up as Microsoft documents Exchange RBAC for Applications gets a token without
// roles; the check notes that, goes on to AUTH and passes.
func TestCheckCLI_RBACTenantPassesWithoutRoles(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	args, env := checkArgs(t, srv, scenario(t, scenarios, "rbac-works"), caFile)
	res := runCLI(t, env, "", append(args, "--json")...)
	var out struct {
		OK     bool   `json:"ok"`
		Stage  string `json:"stage"`
		Claims struct {
			Roles []string `json:"roles"`
		} `json:"claims"`
		Checks []struct {
			Claim string `json:"claim"`
			OK    bool   `json:"ok"`
			Note  bool   `json:"note"`
		} `json:"claim_checks"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || res.code != 0 {
		t.Fatalf("exit %d, %v:\n%s%s", res.code, err, res.stdout, res.stderr)
	}
	if !out.OK || out.Stage != "done" || len(out.Claims.Roles) != 0 {
		t.Fatalf("got ok=%v stage=%s roles=%v, want a pass with a token without roles", out.OK, out.Stage, out.Claims.Roles)
	}
	for _, c := range out.Checks {
		if c.Claim == "roles" && (!c.OK || !c.Note) {
			t.Fatalf("got roles check %+v, want a note, not a failure", c)
		}
	}
	// Without --auth-model (not sure) the same tenant passes too: the model only ranks causes.
	res = runCLI(t, env, "", append(setFlag(args, "--auth-model", "unsure"), "--json")...)
	if res.code != 0 {
		t.Fatalf("got exit %d without a model, want 0\n%s", res.code, res.stdout)
	}
}

func TestCheckCLI_BadInput(t *testing.T) {
	base := []string{"check", "--tenant", "contoso.onmicrosoft.com", "--client-id", "11111111-aaaa-4bbb-8ccc-000000000001", "--mailbox", "billing@contoso.com"}
	env := map[string]string{"SMTPOAUTH_CLIENT_SECRET": "s3cret-value"}
	cases := []struct {
		name  string
		args  []string
		env   map[string]string
		words string
	}{
		{"ErrTenant", setFlag(base, "--tenant", "not a tenant"), env, "tenant"},
		{"ErrClientID", setFlag(base, "--client-id", "billing"), env, "client_id"},
		{"ErrMailbox", setFlag(base, "--mailbox", "billing"), env, "mailbox"},
		{"ErrMailboxCRLF", setFlag(base, "--mailbox", "a@b.com\r\nRCPT TO:<x@y.z>"), env, "line breaks"},
		{"ErrCloud", setFlag(base, "--cloud", "mars"), env, "unknown cloud"},
		{"ErrNoSecret", base, map[string]string{}, "SMTPOAUTH_CLIENT_SECRET"},
		{"ErrSecretNewline", base, map[string]string{"SMTPOAUTH_CLIENT_SECRET": "abc\ndef"}, "line breaks"},
		{"ErrUnknownFlag", append(base, "--secret", "x"), env, "flag provided but not defined"},
		{"ErrAuthModel", append(base, "--auth-model", "basic"), env, "permission, rbac or unsure"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, tc.env, "", tc.args...)
			if res.code != 2 {
				t.Fatalf("got exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
			}
			if !strings.Contains(res.stderr, tc.words) {
				t.Fatalf("stderr lacks %q:\n%s", tc.words, res.stderr)
			}
		})
	}
}

func TestCheckCLI_SecretFromFileAndStdin(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	sc := scenario(t, scenarios, "works")
	args, env := checkArgs(t, srv, sc, caFile)
	delete(env, "SMTPOAUTH_CLIENT_SECRET")
	f := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(f, []byte(sc.Secret+"\n"), 0o600)
	if res := runCLI(t, env, "", append(args, "--secret-file", f)...); res.code != 0 {
		t.Fatalf("--secret-file: exit %d\n%s", res.code, res.stdout)
	}
	if res := runCLI(t, env, sc.Secret+"\n", append(args, "--secret-file", "-")...); res.code != 0 {
		t.Fatalf("--secret-file -: exit %d\n%s", res.code, res.stdout)
	}
}

// Every output of every scenario is searched for the secrets and every token the fake issued.
func TestCheckCLI_NoSecretOrTokenInAnyOutput(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	var outputs []string
	secrets := map[string]bool{}
	for _, sc := range scenarios {
		args, env := checkArgs(t, srv, sc, caFile)
		if sc.Secret != "" {
			secrets[sc.Secret] = true
		}
		for _, extra := range [][]string{nil, {"--json"}} {
			res := runCLI(t, env, "", append(args, extra...)...)
			outputs = append(outputs, res.stdout, res.stderr)
		}
	}
	tokens := srv.IssuedTokens()
	if len(tokens) < len(scenarios) {
		t.Fatalf("only %d tokens issued: the search below would prove little", len(tokens))
	}
	for i, out := range outputs {
		for s := range secrets {
			if strings.Contains(out, s) {
				t.Fatalf("output %d contains a client secret", i)
			}
		}
		for _, tok := range tokens {
			// The JWT's signature part alone is enough to replay nothing, but the whole token must never appear.
			if strings.Contains(out, tok) || strings.Contains(out, tok[strings.LastIndexByte(tok, '.')+1:]) {
				t.Fatalf("output %d contains an access token", i)
			}
		}
	}
}
