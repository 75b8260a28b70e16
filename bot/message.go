// Package bot is the conversation: it binds WeChat accounts, walks
// students through the form of each kind one question at a time, and
// answers the commands of the spec. It keeps each account's dialog in
// Redis and calls the workflow in models for everything it changes.
package bot

import (
	"strconv"
)

// MsgType is the kind of an incoming WeChat message.
type MsgType string

// Message types the bot tells apart.
const (
	MsgText     MsgType = "text"
	MsgImage    MsgType = "image"
	MsgVoice    MsgType = "voice"
	MsgVideo    MsgType = "video"
	MsgLocation MsgType = "location"
	MsgEvent    MsgType = "event"
)

// Message is one message a WeChat user sent, as the callback parsed it.
type Message struct {
	OpenID     string
	MsgID      int64
	CreateTime int64
	Type       MsgType
	Content    string
	// MediaID and PicURL identify a photo.
	MediaID string
	PicURL  string
	// Event and EventKey describe an event (subscribe, CLICK, ...).
	Event    string
	EventKey string
}

// key identifies the message for de-duplication: its MsgId, or for events
// (which have none) the sender, time and event.
func (m Message) key() string {
	if m.MsgID != 0 {
		return "m" + strconv.FormatInt(m.MsgID, 10)
	}
	return "e" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.Event + ":" + m.EventKey
}
