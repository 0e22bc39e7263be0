// Package exchange is the OAuth 2.0 and SMTP client behind a check: it asks Entra ID for an
// app-only token, decodes its claims, and holds the SMTP dialogue with Exchange Online (STARTTLS,
// XOAUTH2 through go-sasl, a test message), writing every line to the transcript as it goes. It
// implements mailer.Checker and produces the core's values: a mailer.Result whose failure is one
// of the core's typed errors, diagnosed by the core's catalogue.
//
// Only cmd wires it in; the console and the store see the mailer.Checker interface.
package exchange
