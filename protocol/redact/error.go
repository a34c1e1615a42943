package redact

// Error returns err with its message masked by r: the message is what
// r.String makes of err.Error(), and errors.Is and errors.As still see err
// (a *browser.LoginError behind a failed login, for instance). Code that
// prints a field of such an error must mask it too. Error(r, nil) is nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return &maskedError{msg: r.String(err.Error()), err: err}
}

type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }
