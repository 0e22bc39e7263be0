package handlers

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/a-h/templ"
)

// The stream writer's own guard: whatever reaches it, a CR or CRLF inside an event's HTML becomes
// another data: line, never a field of its own.
func TestWriteSSE_LineBreaksStayInsideData(t *testing.T) {
	w := httptest.NewRecorder()
	writeSSE(context.Background(), w, "line", "7", templ.Raw("a\revent: done\r\ndata: fake\nb"))
	want := "event: line\nid: 7\ndata: a\ndata: event: done\ndata: data: fake\ndata: b\n\n"
	if got := w.Body.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
