package web

// AlertsView is the alerts page: the settings (a form for admins), the test buttons and the
// delivery history. It never holds the webhook's signing secret.
type AlertsView struct {
	Page
	Form AlertsForm
	// SecretState says whether a signing secret is set, and since when.
	SecretState string
	SenderName  string
	Senders     []AlertSender
	CanTest     bool
	History     []AlertDeliveryRow
	// Notice reports success, Problem a test alert that was not delivered.
	Notice, Problem string
	Errors          map[string]string
}

// AlertsForm is what the settings form shows.
type AlertsForm struct {
	WebhookURL string
	SenderID   int64
	Recipients string
}

// AlertSender is a connection alert e-mails may be sent through.
type AlertSender struct {
	ID   int64
	Name string
}

// AlertDeliveryRow is one delivery in the history, in words.
type AlertDeliveryRow struct {
	When, Connection, Kind, Channel, Status, Error string
	Sent                                           bool
	Attempts                                       int
}

// alertFields is the alerts form's fields in page order: the first with an error gets the focus.
var alertFields = []string{"webhook_url", "webhook_secret", "sender", "recipients"}
