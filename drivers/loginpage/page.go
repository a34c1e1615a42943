package loginpage

// Page is what a driver saw of one document: the top document or one frame.
type Page struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	// Frame is the CSS selector of the <iframe> (in the top document) that
	// holds this document; "" for the top document. The driver that fed the
	// page sets it; Detect copies it into every step it plans.
	Frame string `json:"frame,omitempty"`
	// Frames are unique selectors of this document's visible <iframe>
	// elements, for a driver that looks into them (a Page each).
	Frames []string `json:"frames,omitempty"`
	Forms  []Form   `json:"forms"`
	// Controls are every input, select, textarea, button, a, and element
	// with role button, link or checkbox, in document order, visible or not.
	Controls []Control `json:"controls"`
	// IDs counts the elements of the document by id (every element, not only
	// controls): a #id selector is unique only when its count is 1.
	IDs map[string]int `json:"ids,omitempty"`
	// Messages are the visible alert and error texts ([role=alert],
	// aria-live regions, Keycloak's, Okta's and Auth0's error containers...).
	Messages []string `json:"messages,omitempty"`
	// Text is the document's visible text, white space collapsed, at most
	// MaxText bytes.
	Text string `json:"text"`
}

// MaxText bounds Page.Text; MaxControls bounds Page.Controls and MaxLinks
// the links among them (a and role=link elements), so that a portal's
// navigation does not crowd out the login form after it: later controls
// beyond the bounds are not seen.
const (
	MaxText     = 4096
	MaxControls = 2000
	MaxLinks    = 500
)

// Form is one <form> element.
type Form struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Action string `json:"action,omitempty"` // as written in the attribute
	Method string `json:"method,omitempty"` // lower case, as written ("" is GET)
	Class  string `json:"class,omitempty"`
	// Attrs are the form's data-se, data-testid, data-test and data-qa.
	Attrs   map[string]string `json:"attrs,omitempty"`
	Visible bool              `json:"visible"`
	// Path is a structural selector that matches only this form.
	Path string `json:"path"`
}

// Control is one element a user can type into, tick, choose or click.
type Control struct {
	Tag          string `json:"tag"`            // lower case: input, select, textarea, button, a, or the tag of a [role] element
	Type         string `json:"type,omitempty"` // lower case; input defaults to "text", button to "submit"
	ID           string `json:"id,omitempty"`
	Name         string `json:"name,omitempty"`
	Autocomplete string `json:"autocomplete,omitempty"` // lower case, as written
	Placeholder  string `json:"placeholder,omitempty"`
	AriaLabel    string `json:"ariaLabel,omitempty"`
	// Label is the text of the control's <label> (for= or enclosing) or of
	// the elements its aria-labelledby names.
	Label string `json:"label,omitempty"`
	// Text is the visible text of a button, link or role element (white
	// space collapsed, bounded), an <input type=submit|button>'s value, or
	// an <input type=image>'s alt.
	Text string `json:"text,omitempty"`
	// Value is the control's value attribute (the live value in the
	// browser). Never print it for password or hidden inputs.
	Value string `json:"value,omitempty"`
	Title string `json:"title,omitempty"`
	Class string `json:"class,omitempty"`
	Role  string `json:"role,omitempty"`
	// Attrs are the attributes detection and selectors read beyond the ones
	// above: data-se, data-type, data-testid, data-test, data-qa,
	// data-cy, data-action, maxlength, inputmode, aria-controls, href, the
	// data-se of its
	// descendants (key "inner-data-se", space-separated) and of its parent
	// ("parent-data-se"), which name the authenticator of Okta's factor
	// buttons.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Form is the index in Page.Forms of the control's form (its form=
	// attribute, else the enclosing form), -1 for none.
	Form     int  `json:"form"`
	Visible  bool `json:"visible"`
	Enabled  bool `json:"enabled"`
	ReadOnly bool `json:"readOnly,omitempty"`
	Checked  bool `json:"checked,omitempty"`
	// Shadow is set for a control inside an open shadow root: selectors do
	// not reach it from the document, so Detect never plans a step on it.
	Shadow bool `json:"shadow,omitempty"`
	// Path is a structural selector (from html, :nth-of-type steps) that
	// matches only this element; the fallback of Selector.
	Path string `json:"path"`
}

// Usable reports whether a user could act on the control: visible,
// enabled, not readonly and not inside a shadow root.
func (c *Control) Usable() bool {
	return c.Visible && c.Enabled && !c.ReadOnly && !c.Shadow
}

// Attr is c.Attrs[name] ("" when absent).
func (c *Control) Attr(name string) string { return c.Attrs[name] }
