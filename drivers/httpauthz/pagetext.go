package httpauthz

import (
	"html"
	"mime"
	"strings"
	"unicode/utf8"
)

// bodyExcerpt is how much of an error page's text a Response carries (as
// drivers/browser reports it).
const bodyExcerpt = 500

// excerpt trims a page's text to bodyExcerpt characters.
func excerpt(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > bodyExcerpt {
		s = string([]rune(s)[:bodyExcerpt])
	}
	return s
}

// pageText approximates the text a browser shows for a response body
// (document.body.innerText): HTML without tags, scripts and styles, with
// line breaks between blocks; text and JSON as they are; nothing for other
// types.
func pageText(contentType string, body []byte) string {
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return htmlText(s)
	case mt == "" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "<"):
		return htmlText(s) // sniffed as HTML, as a browser would
	case mt == "" || strings.HasPrefix(mt, "text/") || mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	return ""
}

// Elements whose content is never shown.
var hiddenContent = map[string]bool{
	"script": true, "style": true, "title": true, "template": true,
	"noscript": true, "textarea": true, "head": true,
}

// Block elements: a line break before and after (two for p, as innerText
// does).
var blocks = map[string]int{
	"p": 2, "div": 1, "h1": 1, "h2": 1, "h3": 1, "h4": 1, "h5": 1, "h6": 1,
	"ul": 1, "ol": 1, "li": 1, "dl": 1, "dt": 1, "dd": 1, "table": 1, "tr": 1,
	"caption": 1, "form": 1, "fieldset": 1, "legend": 1, "section": 1,
	"article": 1, "aside": 1, "header": 1, "footer": 1, "main": 1, "nav": 1,
	"pre": 1, "blockquote": 1, "address": 1, "figure": 1, "figcaption": 1,
	"hr": 1, "body": 1, "html": 1, "center": 1, "details": 1, "summary": 1,
}

// textBuilder assembles innerText-like text from text runs and required
// line breaks.
type textBuilder struct {
	b       strings.Builder
	pending int // required line breaks before the next text
}

func (t *textBuilder) lineBreaks(n int) {
	t.pending = max(t.pending, n)
}

// text adds a run; pre keeps its white space.
func (t *textBuilder) text(s string, pre bool) {
	if !pre {
		s = collapse(s)
		if strings.Trim(s, " ") == "" { // white space only
			if s != "" && t.pending == 0 && t.b.Len() > 0 && !t.endsBlank() {
				t.b.WriteByte(' ')
			}
			return
		}
	}
	if s == "" {
		return
	}
	if t.pending > 0 {
		if t.b.Len() > 0 {
			out := strings.TrimRight(t.b.String(), " ")
			t.b.Reset()
			t.b.WriteString(out)
			t.b.WriteString(strings.Repeat("\n", t.pending))
		}
		t.pending = 0
	}
	if !pre && (t.b.Len() == 0 || t.endsBlank()) {
		s = strings.TrimLeft(s, " ")
	}
	t.b.WriteString(s)
}

// endsBlank reports whether the text so far ends in white space.
func (t *textBuilder) endsBlank() bool {
	out := t.b.String()
	return out != "" && strings.ContainsRune(" \n\t", rune(out[len(out)-1]))
}

func (t *textBuilder) String() string {
	lines := strings.Split(t.b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimLeft(l, " "), " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// collapse folds runs of HTML white space into one space, as CSS does
// outside pre (a no-break space is not white space).
func collapse(s string) string {
	f := strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) }), " ")
	switch {
	case f == "" && s != "":
		return " "
	case f == "":
		return ""
	}
	if isSpace(s[0]) {
		f = " " + f
	}
	if isSpace(s[len(s)-1]) {
		f += " "
	}
	return f
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// htmlText is the text of an HTML document as a browser lays it out,
// approximately: enough for the excerpt of an error page.
func htmlText(s string) string {
	var t textBuilder
	pre := 0
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt != 0 {
			if lt < 0 {
				lt = len(s)
			}
			t.text(html.UnescapeString(s[:lt]), pre > 0)
			s = s[lt:]
			continue
		}
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				break
			}
			s = s[4+end+3:]
			continue
		}
		name, closing, rest, ok := readTag(s)
		if !ok {
			t.text(html.UnescapeString(s[:1]), pre > 0)
			s = s[1:]
			continue
		}
		s = rest
		switch {
		case name == "br" && !closing:
			t.text("\n", true)
		case hiddenContent[name] && !closing:
			s = skipPast(s, name)
		case name == "td" || name == "th":
			if closing {
				t.text("\t", true)
			}
		case blocks[name] > 0:
			t.lineBreaks(blocks[name])
			if name == "pre" {
				if closing {
					pre = max(pre-1, 0)
				} else {
					pre++
				}
			}
		}
	}
	return t.String()
}

// readTag reads the tag at the start of s ("<name ...>", "</name>",
// "<!doctype>"): its lower-case name, whether it closes, and what follows.
// ok is false when s does not start a tag ("<" in text).
func readTag(s string) (name string, closing bool, rest string, ok bool) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	if i < len(s) && (s[i] == '!' || s[i] == '?') {
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return "", false, "", true
		}
		return "!", false, s[end+1:], true
	}
	start := i
	for i < len(s) && (isLetter(s[i]) || (i > start && s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	if i == start {
		return "", false, s, false
	}
	name = strings.ToLower(s[start:i])
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, s[i+1:], true
		}
	}
	return name, closing, "", true
}

// skipPast returns what follows the closing tag of name in s (the content
// of a script, style or similar element is not markup).
func skipPast(s, name string) string {
	end := strings.Index(strings.ToLower(s), "</"+name)
	if end < 0 {
		return ""
	}
	s = s[end:]
	if gt := strings.IndexByte(s, '>'); gt >= 0 {
		return s[gt+1:]
	}
	return ""
}

func isLetter(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
