package mailer

import (
	"fmt"
	"strings"
)

// Cloud names a Microsoft cloud: each has its own sign-in authority, Exchange resource and SMTP host.
type Cloud string

// The clouds smtpoauth knows. The string values are what profiles store and the CLI accepts.
const (
	CloudGlobal   Cloud = "global"
	CloudGCCHigh  Cloud = "usgov-gcchigh"
	CloudDoD      Cloud = "usgov-dod"
	CloudChina    Cloud = "china"
	DefaultCloud        = CloudGlobal
	exchangeAppID       = "00000002-0000-0ff1-ce00-000000000000" // Office 365 Exchange Online's resource app ID
)

// Endpoints are where a cloud's tokens and SMTP submission live.
type Endpoints struct {
	// Cloud also names the cloud for people: web/i18n has its label under cloud.<Cloud>.
	Cloud Cloud
	// Authority is the sign-in host, as a URL without a path.
	Authority string
	// Resource is the Exchange Online resource; the token scope is Resource + "/.default".
	Resource string
	// SMTPAddr is host:port of client submission (STARTTLS on 587).
	SMTPAddr string
	// ExchangeEnvironment is Connect-ExchangeOnline's -ExchangeEnvironmentName, empty for the global cloud.
	ExchangeEnvironment string
}

// Values from Microsoft Learn ("Microsoft Entra authentication endpoints in national clouds",
// "Microsoft 365 URLs and IP address ranges", "Authenticate an IMAP, POP or SMTP connection using
// OAuth"). Where Microsoft does not document a value, the community one is used and profiles may
// override the SMTP host and the authority.
var clouds = []Endpoints{
	{Cloud: CloudGlobal, Authority: "https://login.microsoftonline.com",
		Resource: "https://outlook.office365.com", SMTPAddr: "smtp.office365.com:587"},
	{Cloud: CloudGCCHigh, Authority: "https://login.microsoftonline.us",
		Resource: "https://outlook.office365.us", SMTPAddr: "smtp.office365.us:587",
		// smtp.office365.us is what the community uses; Microsoft's list names outlook.office365.us:587.
		ExchangeEnvironment: "O365USGovGCCHigh"},
	{Cloud: CloudDoD, Authority: "https://login.microsoftonline.us",
		Resource: "https://outlook-dod.office365.us", SMTPAddr: "outlook-dod.office365.us:587",
		// The DoD scope comes from community tooling; Microsoft does not document it.
		ExchangeEnvironment: "O365USGovDoD"},
	{Cloud: CloudChina, Authority: "https://login.partner.microsoftonline.cn",
		Resource: "https://partner.outlook.cn", SMTPAddr: "smtp.partner.outlook.cn:587",
		// smtp.partner.outlook.cn comes from community samples; O365China from Microsoft's cmdlet docs (unconfirmed here).
		ExchangeEnvironment: "O365China"},
}

// Clouds lists every known cloud in display order.
func Clouds() []Endpoints { return append([]Endpoints(nil), clouds...) }

// CloudEndpoints returns the endpoints of a cloud; the empty cloud means the global one.
func CloudEndpoints(c Cloud) (Endpoints, error) {
	if c == "" {
		c = DefaultCloud
	}
	for _, e := range clouds {
		if e.Cloud == c {
			return e, nil
		}
	}
	return Endpoints{}, fmt.Errorf("unknown cloud %q: use one of %s", string(c), cloudNames())
}

func cloudNames() string {
	names := make([]string, len(clouds))
	for i, e := range clouds {
		names[i] = string(e.Cloud)
	}
	return strings.Join(names, ", ")
}

// Scope is the client-credentials scope for SMTP in this cloud.
func (e Endpoints) Scope() string { return e.Resource + "/.default" }

// TokenURL is the v2.0 token endpoint of tenant under authority.
func TokenURL(authority, tenant string) string {
	return strings.TrimRight(authority, "/") + "/" + tenant + "/oauth2/v2.0/token"
}
