// Package emulator holds what pkcecheck's local emulations of hosted
// vendors (e2e/providers/okta, e2e/providers/auth0) share: the record of
// the requests their real front ends make, JSON answers that no cache
// keeps, and secret comparison.
package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// RequestLog records "METHOD /path" of every request an emulator serves
// (never a query, body or secret), and which of them it answered 404:
// what a vendor's front end asked for that the emulator does not serve.
type RequestLog struct {
	name string    // the emulator's name, prefixed to logged lines
	out  io.Writer // nil discards

	mu      sync.Mutex
	seen    []string
	missing []string
}

// NewRequestLog returns a log that also writes each line to out (when not
// nil), prefixed with name.
func NewRequestLog(name string, out io.Writer) *RequestLog {
	return &RequestLog{name: name, out: out}
}

// Wrap records each request to next.
func (l *RequestLog) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		line := r.Method + " " + r.URL.Path
		l.mu.Lock()
		l.seen = append(l.seen, line)
		if l.out != nil {
			fmt.Fprintf(l.out, "%s: %s\n", l.name, line)
		}
		l.mu.Unlock()
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusNotFound {
			l.mu.Lock()
			l.missing = append(l.missing, line)
			l.mu.Unlock()
		}
	})
}

// Requests lists "METHOD /path" of every request so far, in order.
func (l *RequestLog) Requests() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.seen...)
}

// NotFound lists "METHOD /path" of every request answered 404.
func (l *RequestLog) NotFound() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.missing...)
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// WriteJSON sends a JSON answer that no cache may keep.
func WriteJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// EqualSecret compares secrets in constant time (by their digests, so
// lengths leak nothing either).
func EqualSecret(a, b string) bool {
	x, y := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(x[:], y[:]) == 1
}
