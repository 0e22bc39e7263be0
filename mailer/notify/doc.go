// Package notify holds the alert channels, adapters that implement fleet.Notifier: a webhook
// that posts the alert as signed JSON, and an e-mail sent through one of the stored connections.
// Both connect only through the product's outbound policy.
package notify
