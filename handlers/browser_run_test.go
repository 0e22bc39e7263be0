package handlers_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// The answer first: on a finished run the verdict card is above the transcript and starts within
// the first screen, on a desktop and on a phone, for a long failure page and for a pass.
func TestBrowser_VerdictCardIsTheFirstThingOnScreen(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	runs := map[string]string{}
	for _, sc := range []string{"send-as-denied", "works"} {
		f := c.scenarioForm(t, sc)
		f.Set("mode", "send")
		resp, _ := c.post(t, "/profiles", f)
		runs[sc] = resp.Header.Get("Location")
		c.waitRun(t, runs[sc])
	}
	want := map[string]string{"send-as-denied": "failed", "works": "passed"}
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		for sc, path := range runs {
			name := fmt.Sprintf("%s at %dx%d", sc, size[0], size[1])
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]), chromedp.Navigate(c.URL+path)), name)
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
				const v = document.querySelector('[data-testid="verdict"][role="status"]');
				return v !== null && v.getAttribute('data-outcome') === '`+want[sc]+`' && document.querySelector('[data-testid="verdict-summary"]') !== null;
			})()`, chromedp.WithPollingTimeout(15*time.Second)))
			must(t, err, name+": waiting for the verdict card with data-outcome="+want[sc])
			// Geometry is read after the page has loaded completely (fonts and styles applied).
			_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(15*time.Second)))
			must(t, err, name+": waiting for the page to load")
			geo, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
				window.scrollTo(0, 0);
				const v = document.querySelector('[data-testid="verdict"]').getBoundingClientRect();
				const s = document.querySelector('[data-testid="verdict-summary"]').getBoundingClientRect();
				const tr = document.querySelector('[data-testid="transcript-section"]').getBoundingClientRect();
				// The widest thing inside the card (Exchange's long replies, commands, snippets) must fit in it.
				const card = document.querySelector('[data-testid="verdict"]');
				card.querySelectorAll('details').forEach(d => { d.open = true; });
				const inner = Math.max(...[...card.querySelectorAll('*')].map(e => e.getBoundingClientRect().right));
				return [v.top, s.bottom, tr.top, window.innerHeight, Math.max(v.right, inner), window.innerWidth];
			})()`))
			must(t, err, name+": measuring")
			top, summaryBottom, transcriptTop, screen := geo[0], geo[1], geo[2], geo[3]
			if right, width := geo[4], geo[5]; right > width+0.5 {
				t.Errorf("%s: the verdict card reaches x=%.0f, beyond the screen's %.0f px", name, right, width)
			}
			if top >= transcriptTop {
				t.Errorf("%s: the verdict starts at y=%.0f, the transcript at y=%.0f: want the verdict above", name, top, transcriptTop)
			}
			if summaryBottom > screen {
				t.Errorf("%s: the verdict's summary ends at y=%.0f, below the first screen (%.0f px)", name, summaryBottom, screen)
			}
			if sc == "send-as-denied" {
				// The diagnosis, its fix and the link to the checklist are in the card.
				n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="verdict"] [data-testid="diagnosis"], [data-testid="verdict"] [data-testid="checklist-link"], [data-testid="verdict"] [data-testid="remediation"] button[data-copy]').length`))
				if n < 3 {
					t.Errorf("%s: got %d of diagnosis, checklist link and copy button in the card, want all", name, n)
				}
			}
			artifact(t, ctx, fmt.Sprintf("run-%s-%d.png", sc, size[0]))
		}
	}
}

// The transcript's tools: filters by kind, search, and a count; the lines stay in the page.
func TestBrowser_TranscriptFiltersAndSearch(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	path := c.runScenario(t, "works")
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+path)), "opening the run")
	visible := func(sel string) string {
		return `[...document.querySelectorAll('` + sel + `')].filter(e => e.offsetParent !== null).length`
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const t = document.querySelector('[data-testid="transcript-tools"]'); return t !== null && !t.hidden && `+visible(`li.ev-client`)+` > 0; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err, "waiting for the transcript tools")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="filter-client"]`))), "hiding client lines")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](visible(`li.ev-client`)+` === 0 && `+visible(`li.ev-server`)+` > 0`, chromedp.WithPollingTimeout(10*time.Second)))
	must(t, err, "waiting for the client lines to hide and the server lines to stay")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="filter-client"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="transcript-search"]`), "235 2.7.0")), "searching")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](visible(`li.ev`)+` === 1 && document.querySelector('[data-testid="transcript-count"]').textContent.startsWith('1 of ')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		count, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="transcript-count"]`)))
		t.Fatalf("searching for the 235 reply: %v (count %q)", err, count)
	}
}

// While a run waits, the page says for what, since when and for how long at most; the seconds count on.
func TestBrowser_LiveRunSaysWhatItWaitsFor(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	var holdOnce sync.Once
	c.Fake.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd == "EHLO" {
			holdOnce.Do(func() { <-release })
		}
	}})
	browserSignIn(t, ctx, c, adminName)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	path := resp.Header.Get("Location")
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+path)), "opening the live run")
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
		const w = document.querySelector('[data-testid="wait-what"]');
		return w !== null && w.textContent.includes('EHLO') && document.querySelector('[data-testid="verdict"]').getAttribute('data-outcome') === 'running';
	})()`, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="running"]`)))
		t.Fatalf("waiting for 'waiting for the answer to EHLO': %v (got %q)", err, text)
	}
	limit, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="wait-limit"]`)))
	step, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="wait-step"]`)))
	_, reply, _ := c.Fake.Checker().WaitLimits()
	if want := fmt.Sprintf("gives up after %d s", int(reply/time.Second)); limit != want || !strings.Contains(step, "Connect") {
		t.Errorf("got step %q and limit %q, want Connect and %q", step, limit, want)
	}
	// The elapsed time counts on while the server holds its reply.
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`/^[1-9]/.test(document.querySelector('[data-testid="wait-elapsed"]').textContent)`, chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err, "waiting for the elapsed seconds to count")
	once.Do(func() { close(release) })
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="verdict"]').getAttribute('data-outcome') === 'passed' && document.querySelector('[data-testid="wait-what"]') === null`,
		chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err, "waiting for the verdict to replace the wait")
}
