package notify

import (
	"slices"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// alertText is the alert's sentence in the words' language. A failing alert's diagnosis is a
// code; it is shown by its title ("diag.CODE.title" in the catalogue), so that the reader gets
// words, with the code kept in the payload's parameters for machines.
func alertText(words mailer.Words, a fleet.Alert) string {
	args := slices.Clone(a.Message.Args)
	if a.Message.Code == fleet.MsgFailing && len(args) == 2 && args[1] != "" {
		if title := words("diag." + args[1] + ".title"); title != "diag."+args[1]+".title" {
			args[1] = title
		}
	}
	return words(a.Message.Code, args...)
}
