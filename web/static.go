// Package web holds the console's templ components and its embedded static assets. Templates
// take view models and do no I/O; handlers build the view models.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assetHashes maps a file under static/ to the short content hash in its URL, computed once.
var assetHashes = func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		m[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// Asset returns the fingerprinted URL of a static file, e.g. /static/1a2b3c4d5e6f/app.css.
// The hash changes with the content, so the file can be cached forever.
func Asset(name string) string {
	return "/static/" + assetHashes[name] + "/" + name
}

// StaticHandler serves /static/{hash}/{name}. A stale hash (an old page after an upgrade) still
// gets the current file, but without long caching.
func StaticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/static/")
		hash, name, ok := strings.Cut(rest, "/")
		if !ok || name == "" || strings.HasSuffix(name, "/") {
			http.NotFound(w, r)
			return
		}
		name = path.Clean(name)
		if assetHashes[name] == "" {
			http.NotFound(w, r)
			return
		}
		if hash == assetHashes[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + name
		files.ServeHTTP(w, r2)
	})
}

// FaviconHandler answers /favicon.ico, which browsers and tools ask for whatever the page links.
func FaviconHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := staticFS.ReadFile("static/favicon.ico")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/x-icon")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(b)
	})
}
