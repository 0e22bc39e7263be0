package mailertest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// Entra ID's exact messages (Microsoft Learn, "Microsoft Entra authentication and authorization
// error codes"); %s are filled with the request's values.
var entraErrors = map[int]struct {
	status int
	err    string
	text   string
}{
	90002:   {400, "invalid_tenant", "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."},
	900023:  {400, "invalid_request", "Specified tenant identifier '%s' is neither a valid DNS name, nor a valid external domain."},
	700016:  {400, "invalid_client", "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."},
	7000215: {401, "invalid_client", "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'."},
	7000222: {401, "invalid_client", "The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds."},
	7000218: {400, "invalid_client", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."},
	7000229: {400, "invalid_client", "The client application %s is missing service principal in the tenant %s. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119"},
	700027:  {401, "invalid_client", "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s']"},
	70011:   {400, "invalid_scope", "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid."},
	1002012: {400, "invalid_scope", "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."},
	500011:  {400, "invalid_resource", "The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."},
	53003:   {400, "access_denied", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."},
	70003:   {400, "unsupported_grant_type", "The app requested an unsupported grant type '%s'."},
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 4 && parts[1] == "oauth2" && parts[2] == "v2.0" && parts[3] == "token":
		s.serveToken(w, r, parts[0])
	case len(parts) == 4 && parts[1] == "v2.0" && parts[2] == ".well-known" && parts[3] == "openid-configuration":
		s.serveDiscovery(w, r, parts[0])
	case len(parts) == 4 && parts[1] == "discovery" && parts[3] == "keys":
		s.serveKeys(w)
	default:
		// Unknown requests fail loudly, so a client bug shows up instead of passing by accident.
		http.Error(w, "fake Exchange Online: no such endpoint "+r.Method+" "+r.URL.Path, http.StatusNotFound)
	}
}

func (s *Server) entraError(w http.ResponseWriter, code int, args ...any) {
	e := entraErrors[code]
	// Each message takes its own number of values; extra ones are dropped.
	if n := strings.Count(e.text, "%s"); len(args) > n {
		args = args[:n]
	}
	s.writeEntraError(w, code, e.status, e.err, fmt.Sprintf(e.text, args...))
}

// writeEntraError writes Entra's error JSON: description with trace and correlation IDs
// separated by CR LF, error_codes, timestamp and error_uri (Microsoft Learn, "Microsoft identity
// platform and the OAuth 2.0 client credentials flow", error response).
func (s *Server) writeEntraError(w http.ResponseWriter, code, status int, errName, text string) {
	trace, corr := mailer.NewGUID(), mailer.NewGUID()
	ts := s.now().Format("2006-01-02 15:04:05Z")
	desc := fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", code, text, trace, corr, ts)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"error": errName, "error_description": desc, "error_codes": []int{code}, "timestamp": ts,
		"trace_id": trace, "correlation_id": corr, "error_uri": fmt.Sprintf("%s/error?code=%d", s.URL, code),
	})
}

// genericEntraError answers with an AADSTS code the fake has no text for.
func (s *Server) genericEntraError(w http.ResponseWriter, code int) {
	s.writeEntraError(w, code, http.StatusBadRequest, "invalid_request", "A simulated error the console has no specific explanation for.")
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, tenantName string) {
	if r.Method != http.MethodPost {
		http.Error(w, "token endpoint takes POST", http.StatusMethodNotAllowed)
		return
	}
	s.countToken()
	f := s.currentFaults()
	if f.TokenHTTPStatus != 0 || f.TokenNotJSON {
		status := f.TokenHTTPStatus
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "text/html")
		if f.TokenRetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.TokenRetryAfter))
		}
		w.WriteHeader(status)
		fmt.Fprint(w, "<html><body><h1>Service Unavailable</h1><p>The service is temporarily unavailable.</p></body></html>")
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if f.TokenError != 0 {
		if _, known := entraErrors[f.TokenError]; !known {
			s.genericEntraError(w, f.TokenError)
			return
		}
		s.entraError(w, f.TokenError, tenantName, tenantName)
		return
	}
	if mailer.ValidateTenant(tenantName) != nil {
		s.entraError(w, 900023, tenantName)
		return
	}
	s.mu.Lock()
	tenant := s.tenantByName(tenantName)
	var app *App
	if tenant != nil {
		app = s.app(tenant.ID, r.PostForm.Get("client_id"))
	}
	var tenantCopy Tenant
	var appCopy App
	if tenant != nil {
		tenantCopy = *tenant
	}
	if app != nil {
		appCopy = *app
	}
	s.mu.Unlock()

	clientID := r.PostForm.Get("client_id")
	scope := r.PostForm.Get("scope")
	switch {
	case tenant == nil:
		s.entraError(w, 90002, tenantName)
	case r.PostForm.Get("grant_type") != "client_credentials":
		s.entraError(w, 70003, r.PostForm.Get("grant_type"))
	case !strings.HasSuffix(scope, "/.default"):
		s.entraError(w, 1002012, scope)
	case strings.TrimSuffix(scope, "/.default") != s.Cloud.Resource:
		s.entraError(w, 500011, strings.TrimSuffix(scope, "/.default"), tenantCopy.ID)
	case app == nil:
		s.entraError(w, 700016, clientID, tenantCopy.ID)
	case appCopy.NoServicePrincipal:
		s.entraError(w, 7000229, clientID, tenantCopy.ID)
	default:
		method, code, arg := s.checkCredential(r, &appCopy)
		switch {
		case code != 0:
			s.entraError(w, code, arg)
		case tenantCopy.ConditionalAccess:
			s.entraError(w, 53003)
		default:
			s.issue(w, &tenantCopy, &appCopy, method)
		}
	}
}

// checkCredential returns the auth method ("1" secret, "2" certificate) or an AADSTS code.
func (s *Server) checkCredential(r *http.Request, app *App) (method string, code int, arg string) {
	if assertion := r.PostForm.Get("client_assertion"); assertion != "" {
		thumb, ok := s.verifyAssertion(assertion, app, r)
		if !ok {
			return "", 700027, thumb
		}
		return "2", 0, ""
	}
	secret := r.PostForm.Get("client_secret")
	if secret == "" {
		return "", 7000218, ""
	}
	for _, sec := range app.Secrets {
		if sec.Value == secret {
			if sec.Expired {
				return "", 7000222, app.ClientID
			}
			return "1", 0, ""
		}
	}
	return "", 7000215, app.ClientID
}

// verifyAssertion checks a client assertion as Entra does: x5t names a registered certificate,
// whose key verifies the RS256 signature; aud is this token endpoint; iss and sub are the app.
func (s *Server) verifyAssertion(assertion string, app *App, r *http.Request) (thumb string, ok bool) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return "", false
	}
	var header struct {
		Alg, X5t string
	}
	var claims struct {
		Aud, Iss, Sub string
		Exp           int64
	}
	if decodeSegment(parts[0], &header) != nil || decodeSegment(parts[1], &claims) != nil {
		return "", false
	}
	thumbBytes, _ := base64.RawURLEncoding.DecodeString(header.X5t)
	thumb = fmt.Sprintf("%X", thumbBytes)
	for _, cert := range app.Certificates {
		sum := sha1.Sum(cert.Raw)
		if string(sum[:]) != string(thumbBytes) {
			continue
		}
		pub, isRSA := cert.PublicKey.(*rsa.PublicKey)
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if !isRSA || err != nil || header.Alg != "RS256" || rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
			return thumb, false
		}
		wantAud := s.URL + r.URL.Path
		return thumb, claims.Aud == wantAud && claims.Iss == app.ClientID && claims.Sub == app.ClientID && claims.Exp > s.now().Unix()
	}
	return thumb, false
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// issue signs an access token shaped like Entra's v1 app-only tokens for Exchange (Microsoft Learn,
// "Access token claims reference").
func (s *Server) issue(w http.ResponseWriter, tenant *Tenant, app *App, method string) {
	now := s.now()
	claims := map[string]any{
		"aud": s.Cloud.Resource, "iss": "https://sts.windows.net/" + tenant.ID + "/",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(3599 * time.Second).Unix(),
		"aio":             base64.RawURLEncoding.EncodeToString([]byte(mailer.NewGUID() + mailer.NewGUID())),
		"app_displayname": app.DisplayName, "appid": app.ClientID, "appidacr": method,
		"idp": "https://sts.windows.net/" + tenant.ID + "/", "idtyp": "app", "oid": app.ObjectID,
		"rh": "0.AAAA" + strings.ReplaceAll(mailer.NewGUID(), "-", "") + "AAA.", "sid": mailer.NewGUID(),
		"sub": app.ObjectID, "tid": tenant.ID, "uti": strings.ReplaceAll(mailer.NewGUID(), "-", "")[:22], "ver": "1.0",
		"wids": []string{"0997a1d0-0d1d-4acb-b408-d5ca73121e90"},
	}
	if len(app.Roles) > 0 {
		claims["roles"] = slices.Clone(app.Roles)
	}
	f := s.currentFaults()
	if m := f.MutateClaims; m != nil {
		m(claims)
	}
	if f.OpaqueToken {
		// Microsoft's own example of an opaque (non-JWT) token, from the XOAUTH2 documentation.
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA"})
		return
	}
	tok, err := exchange.SignJWT(map[string]string{"typ": "JWT", "alg": "RS256", "x5t": "fake-exchange", "kid": "fake-exchange"}, claims, s.signKey)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}

// verifyToken checks an access token the way Exchange does: our signature, our audience, not expired.
func (s *Server) verifyToken(token string) (map[string]any, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, false
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&s.signKey.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return nil, false
	}
	var claims map[string]any
	if decodeSegment(parts[1], &claims) != nil {
		return nil, false
	}
	exp, _ := claims["exp"].(float64)
	aud, _ := claims["aud"].(string)
	if int64(exp) <= s.now().Unix() || (aud != s.Cloud.Resource && aud != "00000002-0000-0ff1-ce00-000000000000") {
		return nil, false
	}
	return claims, true
}

func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, tenantName string) {
	s.mu.Lock()
	t := s.tenantByName(tenantName)
	s.mu.Unlock()
	if t == nil {
		s.entraError(w, 90002, tenantName)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{
		"token_endpoint":                        s.URL + "/" + t.ID + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              s.URL + "/" + t.ID + "/discovery/v2.0/keys",
		"issuer":                                s.URL + "/" + t.ID + "/v2.0",
		"authorization_endpoint":                s.URL + "/" + t.ID + "/oauth2/v2.0/authorize",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"tenant_region_scope":                   "NA",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
	})
}

func (s *Server) serveKeys(w http.ResponseWriter) {
	pub := s.signKey.PublicKey
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "kid": "fake-exchange", "x5t": "fake-exchange",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// Thumbprint is a certificate's SHA-1 thumbprint as Entra shows it.
func Thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return fmt.Sprintf("%X", sum[:])
}
