package loginpage

import (
	"fmt"
	"strings"
)

// approve plans an interstitial or consent page: no entry field, a button
// that approves, stays signed in or continues; on consent, first ticks the
// unticked boxes of the requested scopes.
func (d *detector) approve() (Plan, string) {
	if fields := d.usable(isEntryField); len(fields) > 0 {
		c := &d.p.Controls[fields[0]]
		return Plan{}, fmt.Sprintf("a %s field (name %q, id %q) that is neither a user name, a password nor a one-time code (a CAPTCHA or an unknown step?)", c.Type, c.Name, c.ID)
	}
	best, bestWhy := d.bestButton(func(*Control) bool { return true }, approveScore)
	if best < 0 {
		for _, c := range d.p.Controls {
			if c.Shadow && c.Visible {
				return Plan{}, "the page's controls are inside a shadow root, which CSS selector steps cannot reach"
			}
		}
		return Plan{}, "no login field, and no button that approves or continues (only cancel/deny/back, links, or nothing)"
	}
	// a page that asks to stay signed in is an interstitial, unless it has
	// scope boxes to tick
	ticks := d.tickScopes()
	kind := KindConsent
	if len(ticks) == 0 && matchWord(d.p.Title+" "+d.p.Text+" "+buttonShownText(&d.p.Controls[best])+" "+buttonAttrText(&d.p.Controls[best]), stayWords) != "" {
		kind = KindInterstitial
	}
	plan := Plan{Kind: kind, Actions: ticks}
	plan.Actions = append(plan.Actions, d.click(best, string(kind)+": "+bestWhy))
	return plan, ""
}

// approveScore rates a button as the approve of a consent or interstitial
// page: attribute words count more than text.
func approveScore(c *Control) (int, string) {
	score, why := 0, []string{}
	if w := matchWord(buttonAttrText(c), approveWords); w != "" {
		score += 4
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonAttrText(c), stayWords); w != "" {
		score += 4
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonShownText(c), approveWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text))
	} else if w := matchWord(buttonShownText(c), stayWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text))
	}
	if score == 0 {
		return 0, ""
	}
	if c.Type == "submit" && (c.Tag == "button" || c.Tag == "input") {
		score++
	}
	return score, strings.Join(why, ", ")
}

// tickScopes plans a click on each usable unticked checkbox that names a
// requested scope (value, name, id or label; with no scopes given, a box
// whose name or id has "scope"), never a remember-me box.
func (d *detector) tickScopes() []Action {
	var out []Action
	boxes := d.usable(func(c *Control) bool {
		return (c.Tag == "input" && c.Type == "checkbox" || c.Role == "checkbox") && !c.Checked
	})
	for _, i := range boxes {
		c := &d.p.Controls[i]
		if matchWord(attrText(c)+" "+shownText(c), rememberWords) != "" {
			continue
		}
		if s := scopeOf(c, d.c.Scopes); s != "" {
			out = append(out, d.click(i, "consent: the checkbox of the requested scope "+quote(s)))
		}
	}
	return out
}

// scopeOf is the requested scope c's box names, "" if none.
func scopeOf(c *Control, scopes []string) string {
	for _, s := range scopes {
		for _, v := range []string{c.Value, c.Name, c.ID, collapse(c.Label), collapse(c.Text)} {
			if strings.EqualFold(v, s) {
				return s
			}
		}
	}
	if len(scopes) == 0 && matchWord(c.Name+" "+c.ID, []string{"scope"}) != "" {
		return c.Value
	}
	return ""
}
