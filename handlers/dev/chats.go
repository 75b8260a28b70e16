package dev

import (
	"sync"
	"time"
)

// Limits of what the simulator keeps in memory.
const (
	// maxMessages is how many messages a chat keeps; older ones are
	// dropped.
	maxMessages = 300
	// maxChats is how many chats are kept; the fake API may be sent
	// messages for any openid, and a chat beyond this is not recorded.
	maxChats = 2000
)

// Who sent a message.
const (
	fromPerson  = "person"  // the person on the simulated phone
	fromAccount = "account" // the official account: the bot, or the API
)

// Kinds of chat messages.
const (
	kindText  = "text"
	kindPhoto = "photo"
	kindCard  = "card"
	kindEvent = "event"
)

// message is one line of a chat, as the simulator shows it.
type message struct {
	Seq  int64
	From string
	Kind string
	// Text is the text of a text message, or what an event did.
	Text string
	// MediaID names the photo of a photo message.
	MediaID string
	// Card is the template message of a card.
	Card *card
	At   time.Time
}

// card is a template message as sent to the fake API.
type card struct {
	Title  string
	Lines  []string
	Remark string
	URL    string
}

// chats keeps the messages of each openid, numbered in one sequence so
// that a page can ask for what came after the last it showed.
type chats struct {
	mu   sync.Mutex
	seq  int64
	byID map[string][]message
}

func newChats() *chats {
	return &chats{byID: map[string][]message{}}
}

// add appends m to the chat of openID, numbering it; false when the chat
// cannot be kept (too many chats).
func (c *chats) add(openID string, m message) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	list, ok := c.byID[openID]
	if !ok && len(c.byID) >= maxChats {
		return false
	}
	c.seq++
	m.Seq = c.seq
	list = append(list, m)
	if len(list) > maxMessages {
		list = append([]message(nil), list[len(list)-maxMessages:]...)
	}
	c.byID[openID] = list
	return true
}

// after returns the messages of openID numbered above seq, oldest first.
func (c *chats) after(openID string, seq int64) []message {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []message
	for _, m := range c.byID[openID] {
		if m.Seq > seq {
			out = append(out, m)
		}
	}
	return out
}

// empty reports whether openID has no messages yet.
func (c *chats) empty(openID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byID[openID]) == 0
}
