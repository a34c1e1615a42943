package loginpage

import (
	"strings"
	"unicode"
)

// The word lists detection matches, lower case. Short words (three letters
// or fewer) must be a whole word; longer ones may be part of a word of the
// joined, separator-free text ("kc-login" and "Sign in" both hold "login",
// "signin").
var (
	// userWords name a user-name field (en, de, fr, es, it, pt, nl, ja, zh, ru...).
	userWords = []string{
		"username", "user", "login", "email", "e-mail", "mail", "identifier", "loginfmt", "userid", "account", "logon",
		"benutzer", "anmeldename", "kennung", "utilisateur", "identifiant", "courriel", "usuario", "correo", "utente",
		"usuário", "gebruiker", "gebruikersnaam", "ユーザー", "メール", "用户", "帐号", "账号", "邮箱", "пользовател",
		"логин", "почта", "principal", "handle", "membername", "accountname",
	}
	// notUserWords rule a text field out as a user name, checked first.
	notUserWords = []string{
		"search", "query", "captcha", "promo", "coupon", "voucher", "otp", "totp", "passcode", "one-time", "onetime",
		"phone verification", "verification code", "zip", "postal", "suche", "recherche", "buscar", "cerca",
		"newsletter", "subscribe", "firstname", "lastname", "first name", "last name", "company", "street",
	}
	// otpWords name a one-time-code field.
	otpWords = []string{"otp", "totp", "passcode", "one-time", "onetime", "one time", "mfa", "2fa", "authenticator",
		"verification code", "security code", "code", "token", "einmal", "bestätigungscode", "código", "codice", "認証コード", "验证码", "код"}
	// submitWords are on the buttons that send a login, identifier or code form.
	submitWords = []string{
		"login", "log in", "logon", "signin", "sign in", "submit", "continue", "next", "verify", "ok", "go", "save", "enter",
		"anmelden", "einloggen", "weiter", "fortfahren", "bestätigen", "connexion", "connecter", "suivant", "continuer", "valider", "vérifier",
		"iniciar", "entrar", "acceder", "siguiente", "continuar", "verificar", "accedi", "accesso", "avanti", "continua", "verifica",
		"próximo", "inloggen", "aanmelden", "volgende", "doorgaan", "ログイン", "次へ", "サインイン", "登录", "登入", "下一步", "继续",
		"войти", "вход", "далее", "продолжить", "primary",
	}
	// nextWords are the submit words that make a lone unnamed text field an
	// identifier (not "go", "ok" or "submit", which search boxes have too).
	nextWords = []string{
		"login", "log in", "logon", "signin", "sign in", "continue", "next", "anmelden", "einloggen", "weiter",
		"connexion", "connecter", "suivant", "continuer", "iniciar", "entrar", "acceder", "siguiente", "continuar",
		"accedi", "accesso", "avanti", "continua", "próximo", "inloggen", "aanmelden", "volgende", "doorgaan",
		"ログイン", "次へ", "サインイン", "登录", "登入", "下一步", "继续", "войти", "вход", "далее", "продолжить",
	}
	// denyWords are never pressed: cancel, deny, back, sign-up, recovery,
	// help, social and passkey sign-ins.
	denyWords = []string{
		"cancel", "deny", "decline", "reject", "refuse", "disallow", "back", "abort", "no", "not now", "dont", "don't", "do-not", "donot",
		"register", "signup", "sign up", "create", "join", "forgot", "reset", "recover", "help", "trouble", "unlock", "close",
		"abbrechen", "ablehnen", "zurück", "registrieren", "vergessen", "nein", "annuler", "refuser", "retour", "inscri", "oublié", "non",
		"cancelar", "rechazar", "denegar", "volver", "registr", "olvid", "annulla", "rifiuta", "indietro", "dimenticat", "annuleren", "weigeren",
		"terug", "vergeten", "キャンセル", "拒否", "戻る", "取消", "拒绝", "返回", "注册", "отмена", "отклонить", "назад", "регистрац",
		"google", "facebook", "github", "apple", "twitter", "linkedin", "passkey", "webauthn", "security key", "with", "sso", "saml",
		"edit", "change", "switch", "something else", "other", "resend", "send again",
	}
	// approveWords are on consent buttons.
	approveWords = []string{
		"accept", "allow", "approve", "authorize", "authorise", "grant", "consent", "agree", "confirm", "yes", "continue", "ok", "save",
		"zulassen", "erlauben", "zustimmen", "akzeptieren", "autoriser", "accepter", "permitir", "aceptar", "autorizar", "consenti",
		"accetta", "autorizza", "toestaan", "akkoord", "許可", "同意", "允许", "授权", "разрешить", "принять", "ja", "oui", "sí", "si", "sim",
	}
	// stayWords mark "stay signed in?"-style interstitials and their yes.
	stayWords = []string{"stay signed in", "keep me signed in", "remember this device", "remember this browser", "trust this device",
		"don't ask again", "stay-signed-in", "kmsi", "angemeldet bleiben", "rester connecté", "mantener la sesión"}
	// rememberWords are checkboxes never ticked on consent.
	rememberWords = []string{"remember", "keep me", "stay", "trust", "merken", "souvenir", "recordar", "ricorda"}
	// newPasswordWords mark a sign-up or change-password password field.
	newPasswordWords = []string{"new", "confirm", "repeat", "retype", "again", "verify", "neu", "wiederhol", "nouveau", "confirmer", "nuevo", "repetir"}
)

// words splits s into lower-case words at every character that is not a
// letter or digit and at camelCase boundaries.
func words(s string) []string {
	var out []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
			cur = append(cur, unicode.ToLower(r))
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}

// matchWord reports whether one of list occurs in s: a short entry (three
// letters or fewer) as a whole word of s, a longer one inside the words of
// s joined without separators; an entry with a space or a hyphen is also
// matched with them removed.
func matchWord(s string, list []string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	joined := strings.Join(ws, "")
	for _, w := range list {
		key := strings.Join(words(w), "")
		if key == "" {
			continue
		}
		if len([]rune(key)) <= 3 {
			for _, x := range ws {
				if x == key {
					return w
				}
			}
			continue
		}
		if strings.Contains(joined, key) {
			return w
		}
	}
	return ""
}
