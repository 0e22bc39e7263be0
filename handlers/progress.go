package handlers

import (
	"github.com/a-h/templ"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web"
)

// liveProgress is the progress bar as one SSE stream has drawn it. Most transcript lines do
// not change a stage, and a stage change flips one or two chips, so a line carries only the
// chips that changed rather than the whole bar.
type liveProgress struct {
	sending bool
	// shown is what this stream last sent; nil until the first line, which sends the whole bar
	// because the page (or a reconnecting browser) may show an older state.
	shown []web.PhaseView
}

// update returns what a line at stage must carry to bring the bar up to date, or nil.
func (p *liveProgress) update(stage mailer.Stage) templ.Component {
	now := progress(stage, true, false, p.sending)
	prev := p.shown
	p.shown = now
	if prev == nil {
		return web.Progress(now, true)
	}
	var changed []web.PhaseView
	for i := range now {
		if now[i] != prev[i] {
			changed = append(changed, now[i])
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return web.PhaseChips(changed)
}
