package dev

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// customMessage is the body of POST /cgi-bin/message/custom/send, for the
// message types the simulator shows.
type customMessage struct {
	ToUser  string `json:"touser"`
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
	Image struct {
		MediaID string `json:"media_id"`
	} `json:"image"`
}

// customSend records a customer-service message in the person's chat.
func (f *fake) customSend(w http.ResponseWriter, r *http.Request) {
	var m customMessage
	if err := readJSON(w, r, &m); err != nil {
		refuse(w, errcodeBadRequest, err.Error())
		return
	}
	if !validOpenID(m.ToUser) {
		refuse(w, errcodeInvalidOpenID, "invalid openid")
		return
	}

	msg := message{From: fromAccount, Kind: kindText, Text: m.Text.Content, At: f.sim.now()}
	switch m.MsgType {
	case "text":
	case "image":
		msg.Kind, msg.Text, msg.MediaID = kindPhoto, "", m.Image.MediaID
	default:
		msg.Text = textUnshownType + m.MsgType
	}
	f.sim.chats.add(m.ToUser, msg)
	writeJSON(w, okAnswer)
}

// templateMessage is the body of POST /cgi-bin/message/template/send.
type templateMessage struct {
	ToUser      string `json:"touser"`
	TemplateID  string `json:"template_id"`
	URL         string `json:"url"`
	ClientMsgID string `json:"client_msg_id"`
	Data        map[string]struct {
		Value string `json:"value"`
	} `json:"data"`
}

// maxSeenIDs is how many client_msg_ids are remembered to drop repeats.
const maxSeenIDs = 10000

// sentAnswer is the answer of a template message sent.
type sentAnswer struct {
	apiError
	MsgID int64 `json:"msgid"`
}

// templateSend records a template message as a card in the person's
// chat. A repeat of a client_msg_id already sent is dropped, as WeChat
// drops it.
func (f *fake) templateSend(w http.ResponseWriter, r *http.Request) {
	var m templateMessage
	if err := readJSON(w, r, &m); err != nil || m.TemplateID == "" {
		refuse(w, errcodeBadRequest, "invalid template message")
		return
	}
	if !validOpenID(m.ToUser) {
		refuse(w, errcodeInvalidOpenID, "invalid openid")
		return
	}

	f.mu.Lock()
	repeat := m.ClientMsgID != "" && f.seen[m.ClientMsgID]
	if len(f.seen) >= maxSeenIDs {
		clear(f.seen) // a repeat this late is shown twice
	}
	if m.ClientMsgID != "" {
		f.seen[m.ClientMsgID] = true
	}
	f.msgs++
	id := f.msgs
	f.mu.Unlock()

	if !repeat {
		f.sim.chats.add(m.ToUser, message{From: fromAccount, Kind: kindCard,
			Card: m.card(), At: f.sim.now()})
	}
	writeJSON(w, sentAnswer{apiError: okAnswer, MsgID: id})
}

// card turns the template's data into a card: "first" is the title,
// "remark" the last line, and the other keys (keyword1, keyword2, …)
// the lines between, in the order of their numbers.
func (m templateMessage) card() *card {
	c := &card{Title: m.Data["first"].Value, Remark: m.Data["remark"].Value, URL: m.URL}
	var keys []string
	for k, v := range m.Data {
		if k != "first" && k != "remark" && v.Value != "" {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareKeys)
	for _, k := range keys {
		c.Lines = append(c.Lines, m.Data[k].Value)
	}
	return c
}

// compareKeys orders template keys by name, then by their number:
// keyword2 before keyword10.
func compareKeys(a, b string) int {
	an, bn := strings.TrimRight(a, "0123456789"), strings.TrimRight(b, "0123456789")
	if c := strings.Compare(an, bn); c != 0 {
		return c
	}
	ai, _ := strconv.Atoi(a[len(an):])
	bi, _ := strconv.Atoi(b[len(bn):])
	return cmp.Compare(ai, bi)
}

// mediaGet hands out a photo sent from the simulator, as
// GET /cgi-bin/media/get?media_id= does.
func (f *fake) mediaGet(w http.ResponseWriter, r *http.Request) {
	m, ok := f.sim.media.get(r.URL.Query().Get("media_id"))
	if !ok {
		refuse(w, errcodeInvalidMedia, "invalid media_id")
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
	_, _ = w.Write(m.data)
}

// menuBody is the body of POST /cgi-bin/menu/create.
type menuBody struct {
	Button []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Key  string `json:"key"`
	} `json:"button"`
}

// maxMenuButtons is how many top-level buttons a menu may have.
const maxMenuButtons = 3

// menuCreate replaces the menu under the chat with the click buttons of
// the one created.
func (f *fake) menuCreate(w http.ResponseWriter, r *http.Request) {
	var body menuBody
	if err := readJSON(w, r, &body); err != nil || len(body.Button) == 0 ||
		len(body.Button) > maxMenuButtons {
		refuse(w, errcodeBadRequest, "invalid menu")
		return
	}
	var menu []MenuButton
	for _, b := range body.Button {
		if b.Type == "click" && b.Name != "" && b.Key != "" {
			menu = append(menu, MenuButton{Name: b.Name, Key: b.Key})
		}
	}
	f.mu.Lock()
	f.menu, f.menuOK = menu, true
	f.mu.Unlock()
	writeJSON(w, okAnswer)
}

// currentMenu is the menu the app created, or the configured one.
func (f *fake) currentMenu() []MenuButton {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.menuOK {
		return f.menu
	}
	return f.sim.cfg.Menu
}
