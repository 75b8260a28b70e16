package dev

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // G505: WeChat signs callbacks with SHA-1; it is the protocol.
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// accountName is the official account's ID (ToUserName) in the messages
// the simulator sends.
const accountName = "gh_xuewu_demo"

// Signature is how WeChat signs a callback: the hex SHA-1 of the token,
// timestamp and nonce, sorted and joined.
func Signature(token, timestamp, nonce string) string {
	parts := []string{token, timestamp, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, ""))) //nolint:gosec // G401: as above.
	return hex.EncodeToString(sum[:])
}

// SignedQuery returns the query WeChat adds to a callback in plain mode:
// signature, timestamp, nonce and the sender's openid.
func SignedQuery(token, openID string, timestamp int64) url.Values {
	ts := strconv.FormatInt(timestamp, 10)
	nonce := randomNonce()
	return url.Values{
		"signature": {Signature(token, ts, nonce)},
		"timestamp": {ts},
		"nonce":     {nonce},
		"openid":    {openID},
	}
}

// randomNonce returns a number of up to ten digits, as WeChat's nonces.
func randomNonce() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e10))
	if err != nil {
		return "1234567890"
	}
	return n.String()
}

// cdata is a text element written as CDATA, as WeChat writes them.
type cdata struct {
	Text string `xml:",cdata"`
}

// inbound is a message as WeChat posts it to the callback.
type inbound struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Content      *cdata `xml:",omitempty"`
	PicURL       *cdata `xml:"PicUrl,omitempty"`
	MediaID      *cdata `xml:"MediaId,omitempty"`
	Event        *cdata `xml:",omitempty"`
	EventKey     *cdata `xml:",omitempty"`
	MsgID        int64  `xml:"MsgId,omitempty"`
}

// textIn, photoIn and eventIn build the three kinds of message the
// simulator sends.
func textIn(openID, text string) inbound {
	return inbound{FromUserName: cdata{openID}, MsgType: cdata{"text"}, Content: &cdata{text}}
}

func photoIn(openID, picURL, mediaID string) inbound {
	return inbound{FromUserName: cdata{openID}, MsgType: cdata{"image"},
		PicURL: &cdata{picURL}, MediaID: &cdata{mediaID}}
}

func eventIn(openID, event, key string) inbound {
	m := inbound{FromUserName: cdata{openID}, MsgType: cdata{"event"}, Event: &cdata{event}}
	if key != "" {
		m.EventKey = &cdata{key}
	}
	return m
}

// passiveReply is the callback's answer to a message.
type passiveReply struct {
	MsgType string
	Content string
}

// post sends m to the callback, signed as WeChat signs it, and returns
// the text of the passive reply ("" when the callback answered "success",
// as it does when the answer will come as a customer-service message).
func (s *Simulator) post(ctx context.Context, m inbound) (string, error) {
	now := s.now()
	m.ToUserName, m.CreateTime = cdata{accountName}, now.Unix()
	if m.MsgType.Text != "event" {
		m.MsgID = s.msgID.Add(1)
	}
	body, err := xml.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode message: %w", err)
	}

	q := SignedQuery(s.cfg.Token, m.FromUserName.Text, now.Unix())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/wechat?"+q.Encode(),
		bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("build callback request: %w", err)
	}
	req.Header.Set("Content-Type", "text/xml")
	rec := &recorder{header: http.Header{}}
	s.cfg.Callback.ServeHTTP(rec, req)
	return replyText(rec)
}

// replyText reads the text of a passive reply.
func replyText(rec *recorder) (string, error) {
	if rec.code() != http.StatusOK {
		return "", fmt.Errorf("the callback answered HTTP %d", rec.code())
	}
	body := bytes.TrimSpace(rec.body.Bytes())
	if len(body) == 0 || string(body) == "success" {
		return "", nil
	}
	var r passiveReply
	if err := xml.Unmarshal(body, &r); err != nil {
		return "", fmt.Errorf("decode passive reply: %w", err)
	}
	if r.MsgType != "text" {
		return textUnshownType + r.MsgType, nil
	}
	return r.Content, nil
}

// recorder is the response writer of an in-process callback.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header returns the header map of the answer.
func (r *recorder) Header() http.Header { return r.header }

// Write records the body of the answer.
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// WriteHeader records the first status written.
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
