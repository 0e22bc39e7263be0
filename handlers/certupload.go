package handlers

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// uploadField is the certificate file's form field; its errors are shown there.
const uploadField = "certificate_file"

// certificateUpload turns an uploaded certificate file (PFX/PKCS#12 with its password, or PEM
// with the certificate and its key) into the PEM texts the store takes, in place of anything
// pasted. Nothing is kept: on an error the input is left as it was, and the password is read
// only here, never copied into the form's values, a log or a message.
//
// It also refuses an expired certificate that comes with a new key, uploaded or pasted: Entra
// would refuse its assertions, and saving it would only defer the failure to the first test.
func (s *Server) certificateUpload(r *http.Request, in *store.ProfileInput) map[string]string {
	if in.CredentialKind != store.KindCertificate {
		return nil
	}
	ctx := r.Context()
	data, present, err := uploadedFile(r, uploadField)
	switch {
	case err != nil:
		return map[string]string{uploadField: i18n.T(ctx, "cert.unreadable")}
	case present && len(bytes.TrimSpace(data)) == 0:
		return map[string]string{uploadField: i18n.T(ctx, "cert.empty")}
	case present:
		leaf, key, key2 := decodeCertificateFile(data, r.PostFormValue("certificate_password"))
		if key2 != "" {
			return map[string]string{uploadField: i18n.T(ctx, key2)}
		}
		if msg := s.expired(ctx, leaf); msg != "" {
			return map[string]string{uploadField: msg}
		}
		in.CertificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}))
		in.PrivateKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}))
		return nil
	case in.PrivateKeyPEM != "":
		// Pasted: the store names what is wrong with the text; only the date is checked here.
		if b, _ := pem.Decode([]byte(in.CertificatePEM)); b != nil && b.Type == "CERTIFICATE" {
			if leaf, err := x509.ParseCertificate(b.Bytes); err == nil {
				if msg := s.expired(ctx, leaf); msg != "" {
					return map[string]string{"certificate": msg}
				}
			}
		}
	}
	return nil
}

func (s *Server) expired(ctx context.Context, leaf *x509.Certificate) string {
	if s.now().After(leaf.NotAfter) {
		return i18n.T(ctx, "cert.expired", i18n.Date(i18n.From(ctx), leaf.NotAfter))
	}
	return ""
}

// uploadedFile reads a multipart file field; present is false when no file was chosen. The body
// limit of the upload routes already bounds its size.
func uploadedFile(r *http.Request, field string) (data []byte, present bool, err error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, false, nil
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Filename == "" && fh.Size == 0 {
		return nil, false, nil // a browser sends an empty part when no file was chosen
	}
	f, err := fh.Open()
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	data, err = io.ReadAll(f)
	return data, true, err
}

// decodeCertificateFile finds the certificate and its private key in a PEM or PFX file. It
// returns the certificate that belongs to the key (a file may carry its chain, in any order)
// and the key as PKCS#8, or the i18n key of what is wrong.
func decodeCertificateFile(data []byte, password string) (leaf *x509.Certificate, pkcs8 []byte, problem string) {
	var key any
	var certs []*x509.Certificate
	if bytes.Contains(data, []byte("-----BEGIN")) {
		var problem string
		if key, certs, problem = decodePEMBundle(data); problem != "" {
			return nil, nil, problem
		}
	} else {
		k, c, chain, err := pkcs12.DecodeChain(data, password)
		switch {
		case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
			return nil, nil, "cert.wrong_password"
		case err != nil && strings.Contains(err.Error(), "private key missing"):
			return nil, nil, "cert.no_key"
		case err != nil && strings.Contains(err.Error(), "certificate missing"):
			return nil, nil, "cert.no_cert"
		case err != nil:
			return nil, nil, "cert.unreadable"
		}
		key, certs = k, append([]*x509.Certificate{c}, chain...)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, nil, "cert.not_rsa"
	}
	for _, c := range certs {
		if pub, ok := c.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && pub.Equal(rsaKey.Public()) {
			der, err := x509.MarshalPKCS8PrivateKey(rsaKey)
			if err != nil {
				return nil, nil, "cert.unreadable"
			}
			return c, der, ""
		}
	}
	return nil, nil, "cert.mismatch"
}

// decodePEMBundle reads every block of a PEM file: certificates and one private key.
func decodePEMBundle(data []byte) (key any, certs []*x509.Certificate, problem string) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch {
		case b.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, nil, "cert.unreadable"
			}
			certs = append(certs, c)
		case b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "":
			return nil, nil, "cert.encrypted_pem"
		case b.Type == "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
			if err != nil {
				return nil, nil, "cert.unreadable"
			}
			key = k
		case b.Type == "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, nil, "cert.unreadable"
			}
			key = k
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			return nil, nil, "cert.not_rsa"
		}
	}
	switch {
	case len(certs) == 0:
		return nil, nil, "cert.no_cert"
	case key == nil:
		return nil, nil, "cert.no_key"
	}
	return key, certs, ""
}
