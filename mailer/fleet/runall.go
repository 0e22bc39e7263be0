package fleet

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Item is one connection of a fleet run.
type Item struct {
	// Name is the connection's name, as the CLI and the console show it.
	Name    string
	Request mailer.Request
}

// Summary counts a fleet run's outcomes.
type Summary struct {
	Total  int `json:"total"`
	Passed int `json:"passed"`
	Failed int `json:"failed"`
	// ByDiagnosis counts the failed runs per diagnosis code.
	ByDiagnosis map[string]int `json:"by_diagnosis"`
	// Errors are the panics of the caller's onResult, one per item it failed on.
	Errors []string `json:"errors,omitempty"`
}

// RunAll checks every item with c, at most concurrency at a time (at least one), and calls
// onResult once per item as its run ends, never two calls at once, so a caller may print
// without a lock. An item whose run panics is reported as failed with the panic as its error;
// items not started when ctx ends are reported as failed without running. It returns when every
// item has been reported.
func RunAll(ctx context.Context, c mailer.Checker, items []Item, concurrency int, onResult func(i int, item Item, res *mailer.Result)) Summary {
	concurrency = max(1, min(concurrency, len(items)))
	sum := Summary{Total: len(items), ByDiagnosis: map[string]int{}}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan int)
	)
	report := func(i int, res *mailer.Result) {
		mu.Lock()
		defer mu.Unlock()
		if res.OK {
			sum.Passed++
		} else {
			sum.Failed++
			code := mailer.CodeInternal
			if res.Diagnosis != nil {
				code = res.Diagnosis.Code
			}
			sum.ByDiagnosis[code]++
		}
		if onResult != nil {
			// A caller's panic must not stop the fleet or lose the other items' reports.
			defer func() {
				if p := recover(); p != nil {
					sum.Errors = append(sum.Errors, fmt.Sprintf("reporting %s: %v", items[i].Name, p))
				}
			}()
			onResult(i, items[i], res)
		}
	}
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				report(i, runOne(ctx, c, items[i]))
			}
		}()
	}
	for i := range items {
		if ctx.Err() != nil {
			now := time.Now()
			report(i, notStarted(items[i].Request, ctx.Err(), now, nil, now))
			continue
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return sum
}

// runOne runs one item; a panic in the checker becomes the item's failure.
func runOne(ctx context.Context, c mailer.Checker, it Item) (res *mailer.Result) {
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("internal error while checking %s: %v", it.Name, p)
			res = &mailer.Result{Stage: mailer.StageInput, Err: err, Error: err.Error(), Timings: map[mailer.Stage]int64{},
				Diagnosis: mailer.Diagnose(mailer.Facts{Stage: mailer.StageInput, Err: err, Req: it.Request})}
		}
	}()
	return c.Run(ctx, it.Request, nil)
}
