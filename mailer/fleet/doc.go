// Package fleet makes the fleet's decisions against the core's interfaces: how many checks run
// at once against one sending mailbox, how fast token requests go to one tenant, when a token
// an earlier run fetched may be used again, and which failures are worth another try within the
// same run. It wraps any mailer.Checker and is one itself, so the console, the CLI and the job
// queue hand it around like the client it wraps; it imports no adapter.
//
// Exchange Online lets at most three connections submit for one mailbox at once and answers
// the fourth with 432 4.3.2 (sender thread limit), and help-desk fleets have many connections
// sending through one mailbox: Runner queues a mailbox's checks instead of provoking that reply.
package fleet
