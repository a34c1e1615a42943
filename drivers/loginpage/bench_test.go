package loginpage

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// bigPage is a login form after n links and n unnamed buttons, as on a
// portal's front page.
func bigPage(n int) []byte {
	var b strings.Builder
	b.WriteString("<html><body><nav>")
	for i := range n {
		fmt.Fprintf(&b, `<a href="/p/%d">Page %d</a><button type="button">More %d</button>`, i, i, i)
	}
	b.WriteString(`</nav><form action="/login" method="post"><input name="username"><input name="password" type="password"><button>Sign in</button></form></body></html>`)
	return []byte(b.String())
}

// BenchmarkDetectBigPage: reading and planning a page with 2000 controls.
func BenchmarkDetectBigPage(b *testing.B) {
	body := bigPage(1000)
	for b.Loop() {
		p, err := FromHTML(nil, body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Detect(p, Creds{Username: "u", Password: "p"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListingBigPage: the stuck-page listing of the same page.
func BenchmarkListingBigPage(b *testing.B) {
	p, _ := FromHTML(nil, bigPage(1000))
	for b.Loop() {
		p.Listing(io.Discard)
	}
}
