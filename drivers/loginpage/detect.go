package loginpage

// Detect classifies p and plans the steps a user with c would take on it.
// It returns a *NotFound error (carrying p) when no form or button fits,
// and never plans a deny, cancel, sign-up, forgot-password or new-password
// control.
func Detect(p *Page, c Creds) (Plan, error) {
	return Plan{Kind: KindUnknown}, &NotFound{Page: p, Reason: "detection not written yet"}
}
