package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"

	"backoffice"
	"backoffice/access"
)

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

type loginData struct {
	Email, Next, Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "login", "Sign in", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the sign-in form could not be read")
	}
	data := loginData{Email: r.PostForm.Get("email"), Next: safeNext(r.PostForm.Get("next"))}
	res, err := s.Access.Login(r.Context(), access.LoginRequest{Email: data.Email, Password: r.PostForm.Get("password"),
		IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		code := backoffice.ErrorCode(err)
		if code != backoffice.EUnauthorized && code != backoffice.ETooManyRequests && code != backoffice.EInvalid {
			return err
		}
		data.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, backoffice.HTTPStatus(code), "login", "Sign in", data)
	}
	s.setSessionCookie(w, res.Token, int((7 * 24 * time.Hour).Seconds()))
	switch res.State {
	case "totp":
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(data.Next), http.StatusSeeOther)
	case "enrol":
		http.Redirect(w, r, "/account?enrol=1", http.StatusSeeOther)
	default:
		http.Redirect(w, r, data.Next, http.StatusSeeOther)
	}
	return nil
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "totp", "Two-factor authentication", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	data := loginData{Next: safeNext(r.PostForm.Get("next"))}
	if err := s.Access.VerifyTOTP(r.Context(), c.Value, strings.TrimSpace(r.PostForm.Get("code"))); err != nil {
		code := backoffice.ErrorCode(err)
		if code == backoffice.EInternal {
			return err
		}
		data.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, backoffice.HTTPStatus(code), "totp", "Two-factor authentication", data)
	}
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Access.Logout(r.Context(), c.Value); err != nil && backoffice.ErrorCode(err) == backoffice.EInternal {
			return err
		}
	}
	s.setSessionCookie(w, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// switchCompany makes another of the user's companies the current one.
func (s *Server) switchCompany(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	id, err := backoffice.ParseID(r.PostForm.Get("company"))
	if err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "choose a company")
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return backoffice.Errorf(backoffice.EUnauthorized, "sign in first")
	}
	if err := s.Access.SetSessionCompany(r.Context(), c.Value, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type accountData struct {
	Enrol         bool
	Enrolment     *access.TOTPEnrolment
	QR            string // data: URL of the QR code PNG
	RecoveryCodes []string
	Error         string
	Message       string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account", "Your account", accountData{Enrol: r.URL.Query().Get("enrol") != ""})
}

func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	p := principal(r)
	if r.PostForm.Get("new") != r.PostForm.Get("repeat") {
		return s.render(w, r, http.StatusUnprocessableEntity, "account", "Your account", accountData{Error: "The two new passwords differ."})
	}
	if err := s.Access.ChangePassword(r.Context(), p.User.ID, r.PostForm.Get("old"), r.PostForm.Get("new")); err != nil {
		if backoffice.ErrorCode(err) == backoffice.EInternal {
			return err
		}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "account", "Your account", accountData{Error: errorText(err)})
	}
	return s.render(w, r, http.StatusOK, "account", "Your account", accountData{Message: "Your password has been changed."})
}

// accountTOTPBegin starts enrolment and shows the secret and its QR code.
func (s *Server) accountTOTPBegin(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	en, err := s.Access.BeginTOTP(r.Context(), p.User.ID)
	if err != nil {
		return err
	}
	data := accountData{Enrolment: &en, Enrol: session(r) != nil && session(r).State == "enrol"}
	if key, err := otp.NewKeyFromURL(en.URL); err == nil {
		if img, err := key.Image(200, 200); err == nil {
			var buf bytes.Buffer
			if png.Encode(&buf, img) == nil {
				data.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
			}
		}
	}
	return s.render(w, r, http.StatusOK, "account", "Set up two-factor authentication", data)
}

func (s *Server) accountTOTPConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	p := principal(r)
	codes, err := s.Access.ConfirmTOTP(r.Context(), p.User.ID, strings.TrimSpace(r.PostForm.Get("code")))
	if err != nil {
		if backoffice.ErrorCode(err) == backoffice.EInternal {
			return err
		}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "account", "Your account",
			accountData{Error: errorText(err) + " Start again to get a new secret."})
	}
	return s.render(w, r, http.StatusOK, "account", "Your account", accountData{RecoveryCodes: codes,
		Message: "Two-factor authentication is on. From now on you sign in with your password and a code."})
}

// errorText is the message of err with its field messages, for a form.
func errorText(err error) string {
	var b strings.Builder
	b.WriteString(backoffice.ErrorMessage(err))
	var e *backoffice.Error
	if errors.As(err, &e) {
		for k, v := range e.Fields {
			b.WriteString(" " + k + ": " + v + ".")
		}
	}
	return b.String()
}
