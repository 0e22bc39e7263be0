package exchange

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// tokenTransport is the token request's HTTP transport. Every connection goes through the
// checker's policy; the one exception is an HTTP proxy the operator set in the environment
// (HTTPS_PROXY), which is dialled as configured. The token URL's host and port are then still
// checked against the policy before the request is handed to the proxy.
func (r *checkRun) tokenTransport(tokenURL string) *http.Transport {
	proxyURL, proxyAddr := r.proxyFor(tokenURL)
	return &http.Transport{
		TLSClientConfig: r.tlsConfig(""),
		Proxy: func(req *http.Request) (*url.URL, error) {
			if proxyURL == nil {
				return nil, nil // a direct connection: dialContext checks it
			}
			port := req.URL.Port()
			if port == "" {
				port = "443"
			}
			n, err := strconv.ParseUint(port, 10, 16)
			if err != nil {
				return nil, &mailer.TargetRefusedError{Host: req.URL.Hostname(), Port: port, Reason: "the port is not a number"}
			}
			if err := r.OutboundPolicy().AllowName(req.URL.Hostname(), uint16(n)); err != nil {
				return nil, &mailer.TargetRefusedError{Host: req.URL.Hostname(), Port: port, Reason: err.Error()}
			}
			return proxyURL, nil
		},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(ctx, r.connectTimeout())
			defer cancel()
			if proxyAddr != "" && addr == proxyAddr {
				dial := r.Dial
				if dial == nil {
					dial = (&net.Dialer{}).DialContext
				}
				return dial(ctx, network, addr)
			}
			return r.dialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout: r.connectTimeout(),
	}
}

// proxyFor is the proxy the checker's Proxy (or HTTPS_PROXY/NO_PROXY) chooses for tokenURL, and
// its host:port as the transport will dial it.
func (r *checkRun) proxyFor(tokenURL string) (*url.URL, string) {
	choose := r.Proxy
	if choose == nil {
		choose = http.ProxyFromEnvironment
	}
	req, err := http.NewRequest(http.MethodPost, tokenURL, nil)
	if err != nil {
		return nil, ""
	}
	u, err := choose(req)
	if err != nil || u == nil {
		return nil, ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}[u.Scheme]
	}
	return u, net.JoinHostPort(u.Hostname(), port)
}
