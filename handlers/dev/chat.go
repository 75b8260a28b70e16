package dev

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// pageData is what the simulator's page shows.
type pageData struct {
	CSRF    string
	School  *school
	Current *person
	// Contacts are the staff who sign the current student's requests, or
	// the current staff member's colleagues who sign after them.
	Contacts []contact
	// LastStudent is the student chosen before a staff member.
	LastStudent *person
	Menu        []MenuButton
	// WrongHost is set when the page was reached other than through
	// PUBLIC_URL, where the cookies of the card links would be missing.
	WrongHost bool
	PublicDev string
}

// showPage serves the simulator: the people to choose from, and the
// phone with the chosen person's chat.
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sc, err := s.loadSchool(ctx)
	if err != nil {
		s.fail(w, r, "load the school", err)
		return
	}
	d := pageData{
		CSRF: s.csrfToken(s.csrfSeed(w, r)), School: sc, Menu: s.fake.currentMenu(),
		WrongHost: r.Host != s.public.Host, PublicDev: s.public.String() + Prefix + "/",
	}
	if no, ok := s.personOf(r); ok {
		if p, ok := sc.byNo[no]; ok {
			d.Current = &p
			s.addContacts(r, sc, &d)
		}
	}
	s.render(w, r, http.StatusOK, "sim.html", d)
}

// addContacts offers the people to switch to next: a student's
// approvers, or a staff member's colleagues and the last student.
func (s *Simulator) addContacts(r *http.Request, sc *school, d *pageData) {
	if d.Current.Student {
		d.Contacts = sc.contactsOf(*d.Current)
		return
	}
	d.Contacts = sc.colleaguesOf(*d.Current)
	if c, err := r.Cookie(studentCookie); err == nil {
		if st, ok := sc.byNo[c.Value]; ok && st.Student {
			d.LastStudent = &st
		}
	}
}

// choosePerson puts the person of the form's "no" on the phone. The
// /h5 login of the previous person ends; a person new to the simulator
// follows the official account first, as a new user would.
func (s *Simulator) choosePerson(w http.ResponseWriter, r *http.Request) {
	no := r.PostFormValue("no")
	sc, err := s.loadSchool(r.Context())
	if err != nil {
		s.fail(w, r, "load the school", err)
		return
	}
	if _, ok := sc.byNo[no]; !ok {
		s.notice(w, http.StatusBadRequest, textUnknownPerson)
		return
	}

	s.setCookie(w, personCookie, no, Prefix, cookieTTL)
	if sc.byNo[no].Student {
		s.setCookie(w, studentCookie, no, Prefix, cookieTTL)
	}
	s.setCookie(w, h5SessionCookie, "", h5Path, -1)
	if openID := openIDOf(no); s.chats.empty(openID) {
		shown := message{From: fromPerson, Kind: kindEvent, Text: textSubscribed, At: s.now()}
		err := s.exchange(r.Context(), openID, shown, eventIn(openID, "subscribe", ""))
		if err != nil {
			s.log.WarnContext(r.Context(), "simulator: subscribe event failed", "error", err)
		}
	}
	http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
}

// messagesAnswer is the answer of the poll.
type messagesAnswer struct {
	Messages []messageView `json:"messages"`
	// Bound says the person's simulated account is bound.
	Bound bool `json:"bound"`
}

// messages answers the page's poll: the chat's messages after the
// sequence number "after".
func (s *Simulator) messages(w http.ResponseWriter, r *http.Request) {
	no, ok := s.personOf(r)
	if !ok {
		writeJSON(w, messagesAnswer{Messages: []messageView{}})
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	id, err := s.cfg.Store.IdentityByOpenID(r.Context(), openIDOf(no))
	if err != nil {
		s.failJSON(w, r, "look up identity", err)
		return
	}
	ans := messagesAnswer{Messages: []messageView{}, Bound: id.Bound()}
	for _, m := range s.chats.after(openIDOf(no), after) {
		ans.Messages = append(ans.Messages, s.view(m))
	}
	writeJSON(w, ans)
}

// maxTextBytes is WeChat's limit on a text message.
const maxTextBytes = 2048

// say sends the form's "text" as a text message.
func (s *Simulator) say(w http.ResponseWriter, r *http.Request) {
	no, ok := s.personOf(r)
	if !ok {
		answerError(w, http.StatusBadRequest, textNoPerson)
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	switch {
	case text == "":
		answerError(w, http.StatusBadRequest, textEmptyText)
		return
	case len(text) > maxTextBytes:
		answerError(w, http.StatusBadRequest, textTooLong)
		return
	}
	s.sendText(w, r, openIDOf(no), text)
}

// sendText sends one text message and answers the page.
func (s *Simulator) sendText(w http.ResponseWriter, r *http.Request, openID, text string) {
	if err := s.sayAs(r.Context(), openID, text); err != nil {
		s.callbackFailed(w, r, err)
		return
	}
	writeJSON(w, okAnswer)
}

// sayAs shows a text of the chosen person in the chat and passes it to the
// callback.
func (s *Simulator) sayAs(ctx context.Context, openID, text string) error {
	shown := message{From: fromPerson, Kind: kindText, Text: text, At: s.now()}
	return s.exchange(ctx, openID, shown, textIn(openID, text))
}

// bindWithExample sends the three messages that bind the chosen person
// with the demo data: 绑定, the number, the secret.
func (s *Simulator) bindWithExample(w http.ResponseWriter, r *http.Request) {
	no, ok := s.personOf(r)
	if !ok {
		answerError(w, http.StatusBadRequest, textNoPerson)
		return
	}
	sc, err := s.loadSchool(r.Context())
	if err != nil {
		s.failJSON(w, r, "load the school", err)
		return
	}
	p, ok := sc.byNo[no]
	if !ok || p.Secret == "" {
		answerError(w, http.StatusBadRequest, textNoExample)
		return
	}
	openID := openIDOf(no)
	for _, text := range []string{"绑定", p.No, p.Secret} {
		if err := s.sayAs(r.Context(), openID, text); err != nil {
			s.callbackFailed(w, r, err)
			return
		}
	}
	writeJSON(w, okAnswer)
}

// click sends the click event of the menu button named by the form's
// "key".
func (s *Simulator) click(w http.ResponseWriter, r *http.Request) {
	no, ok := s.personOf(r)
	if !ok {
		answerError(w, http.StatusBadRequest, textNoPerson)
		return
	}
	key := r.PostFormValue("key")
	var button *MenuButton
	for _, b := range s.fake.currentMenu() {
		if b.Key == key {
			button = &b
			break
		}
	}
	if button == nil {
		answerError(w, http.StatusBadRequest, textUnknownButton)
		return
	}
	openID := openIDOf(no)
	shown := message{From: fromPerson, Kind: kindEvent,
		Text: fmt.Sprintf(textClicked, button.Name), At: s.now()}
	if err := s.exchange(r.Context(), openID, shown, eventIn(openID, "CLICK", key)); err != nil {
		s.callbackFailed(w, r, err)
		return
	}
	writeJSON(w, okAnswer)
}

// sendPhoto keeps the uploaded "photo" as WeChat keeps temporary media
// and sends it as an image message.
func (s *Simulator) sendPhoto(w http.ResponseWriter, r *http.Request) {
	no, ok := s.personOf(r)
	if !ok {
		answerError(w, http.StatusBadRequest, textNoPerson)
		return
	}
	data, ctype, err := readPhoto(w, r)
	if err != nil {
		answerError(w, http.StatusBadRequest, err.Error())
		return
	}

	id := s.media.add(data, ctype)
	openID := openIDOf(no)
	shown := message{From: fromPerson, Kind: kindPhoto, MediaID: id, At: s.now()}
	picURL := s.public.String() + Prefix + "/photo/" + id
	if err := s.exchange(r.Context(), openID, shown, photoIn(openID, picURL, id)); err != nil {
		s.callbackFailed(w, r, err)
		return
	}
	writeJSON(w, okAnswer)
}

// readPhoto reads the form's "photo": a JPEG, PNG, GIF or WebP image of
// at most MaxPhotoBytes. Its errors are sentences for the person.
func readPhoto(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxPhotoBytes+maxFormBytes)
	f, _, err := r.FormFile("photo")
	if err != nil {
		return nil, "", errors.New(textNoPhoto)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPhotoBytes+1))
	if err != nil || len(data) == 0 || len(data) > MaxPhotoBytes {
		return nil, "", errors.New(textBadPhoto)
	}
	ctype, ok := photoType(data)
	if !ok {
		return nil, "", errors.New(textBadPhoto)
	}
	return data, ctype, nil
}

// exchange shows the person's message in the chat, posts it to the
// callback and shows the passive reply, if any.
func (s *Simulator) exchange(ctx context.Context, openID string, shown message,
	in inbound) error {
	s.chats.add(openID, shown)
	reply, err := s.post(ctx, in)
	if err != nil {
		return err
	}
	if reply != "" {
		s.chats.add(openID, message{From: fromAccount, Kind: kindText, Text: reply, At: s.now()})
	}
	return nil
}

// open sends the browser to a page under /h5 (the "to" parameter) as the
// person on the phone: the /h5 login of whoever opened a page before
// ends, so the page logs in again through the fake OAuth.
func (s *Simulator) open(w http.ResponseWriter, r *http.Request) {
	to := localH5(r.URL.Query().Get("to"))
	if to == "" {
		s.notice(w, http.StatusBadRequest, textNotFound)
		return
	}
	s.setCookie(w, h5SessionCookie, "", h5Path, -1)
	//nolint:gosec // G710: localH5 keeps only local paths under /h5/.
	http.Redirect(w, r, to, http.StatusFound)
}

// photo shows a photo sent from the simulator.
func (s *Simulator) photo(w http.ResponseWriter, r *http.Request) {
	m, ok := s.media.get(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(m.data)
}

// errorAnswer is the JSON answer of a refused call of the page.
type errorAnswer struct {
	Error string `json:"error"`
}

// answerError answers the page's script with a sentence to show.
func answerError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorAnswer{Error: msg})
}

// callbackFailed logs why a message did not reach the callback and tells
// the page.
func (s *Simulator) callbackFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "simulator: callback failed", "error", err)
	answerError(w, http.StatusBadGateway, textCallbackFailed)
}

// fail logs an internal error and answers 500 with an apology page.
func (s *Simulator) fail(w http.ResponseWriter, r *http.Request, doing string, err error) {
	s.log.ErrorContext(r.Context(), "simulator failed", "doing", doing, "error", err)
	s.notice(w, http.StatusInternalServerError, textInternal)
}

// failJSON logs an internal error and answers the page's script.
func (s *Simulator) failJSON(w http.ResponseWriter, r *http.Request, doing string, err error) {
	s.log.ErrorContext(r.Context(), "simulator failed", "doing", doing, "error", err)
	answerError(w, http.StatusInternalServerError, textInternal)
}
