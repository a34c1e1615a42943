package loginpage

import "strings"

// submit chooses the button that sends form: usable, not a toggle, never a
// deny; in the form, else outside every form, else anywhere; scored by
// submit words in its attributes and text, type=submit and Okta's save
// markers. It says why, or why none fits.
func (d *detector) submit(form int) (int, string) {
	scopes := []func(c *Control) bool{
		func(c *Control) bool { return c.Form == form },
		func(c *Control) bool { return c.Form < 0 },
		func(c *Control) bool { return true },
	}
	if form < 0 {
		scopes = scopes[1:]
	}
	for _, in := range scopes {
		if best, why := d.bestButton(in, submitScore); best >= 0 {
			return best, why
		}
	}
	return -1, "no submit, login, next or continue button that is not cancel, back, sign-up or forgot"
}

// bestButton is the usable button accepted by in with the highest positive
// score, the first of equals, never a toggle or a deny; -1 if none.
func (d *detector) bestButton(in func(c *Control) bool, score func(c *Control) (int, string)) (int, string) {
	best, bestScore, bestWhy := -1, 0, ""
	for _, i := range d.usable(func(c *Control) bool { return isButton(c) && in(c) }) {
		c := &d.p.Controls[i]
		if isToggle(c) || denyWord(c) != "" {
			continue
		}
		if n, why := score(c); n > bestScore {
			best, bestScore, bestWhy = i, n, why
		}
	}
	return best, bestWhy
}

// submitScore rates a button as the submit of a login form, with why.
func submitScore(c *Control) (int, string) {
	score, why := 0, []string{}
	if c.Attr("data-se") == "save" || c.Attr("data-type") == "save" {
		score += 4
		why = append(why, "Okta's save marker")
	}
	if w := matchWord(buttonAttrText(c), submitWords); w != "" {
		score += 3
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonShownText(c), submitWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text+c.AriaLabel))
	}
	if (c.Tag == "button" || c.Tag == "input") && (c.Type == "submit" || c.Type == "image") {
		score += 2
		why = append(why, "type=submit")
	} else if score == 0 {
		return 0, "" // a link or script button needs a word
	}
	return score, strings.Join(why, ", ")
}
