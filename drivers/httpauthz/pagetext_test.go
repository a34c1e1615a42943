package httpauthz

import (
	"strings"
	"testing"
)

func TestPageText(t *testing.T) {
	tests := []struct {
		name, ctype, body, want string
	}{
		{"refidp error page", "text/html; charset=utf-8",
			"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error - refidp</title>\n<style>body{font-family:sans-serif}</style>\n</head><body>\n<h1>Request refused</h1>\n<p id=\"error\">The application (client_id) is not known.</p>\n</body></html>",
			"Request refused\n\nThe application (client_id) is not known."},
		{"inline elements and entities", "text/html",
			"<body><p>a <b>bold</b>&amp;<i>x</i>  \n  y</p></body>", "a bold&x y"},
		{"line breaks and comments", "text/html",
			"<div>one<br>two<!-- <p>hidden</p> --></div><div>three</div>", "one\ntwo\nthree"},
		{"scripts and styles hidden", "text/html",
			"<script>var a = '<p>no</p>';</script><style>p{}</style><p>yes</p><noscript>enable JS</noscript>", "yes"},
		{"pre keeps spaces", "text/html",
			"<h1>oops</h1><pre><strong>error</strong>: invalid_request</pre><pre><strong>error_description</strong>: a  b</pre>",
			"oops\nerror: invalid_request\nerror_description: a  b"},
		{"attributes with >", "text/html", `<p title="a>b">text</p>`, "text"},
		{"table cells", "text/html", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a\tb\nc"},
		{"a stray <", "text/html", "<p>1 < 2</p>", "1 < 2"},
		{"sniffed html", "", "<html><body><p>x</p></body></html>", "x"},
		{"json", "application/json", `{"error":"invalid_request"}`, `{"error":"invalid_request"}`},
		{"plain text", "text/plain", "Bad Request\r\n", "Bad Request\n"},
		{"binary", "image/png", "\x89PNG", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pageText(tt.ctype, []byte(tt.body)); got != tt.want {
				t.Errorf("pageText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", bodyExcerpt+10)
	if got := excerpt("  " + long); got != strings.Repeat("é", bodyExcerpt) {
		t.Errorf("excerpt of %d runes has %d runes", len([]rune(long)), len([]rune(got)))
	}
	if got := excerpt("\n short \n"); got != "short" {
		t.Errorf("excerpt = %q", got)
	}
}
