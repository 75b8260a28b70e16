package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/models"
)

// Dialog is the state of one WeChat account's conversation, kept in Redis
// for DialogTTL after the last message.
type Dialog struct {
	// Bind is set while the account is being bound.
	Bind *BindState `json:"b,omitempty"`
	// Form is the request being filled in, if any.
	Form *Form `json:"f,omitempty"`
	// Seen is when the last message arrived (Unix seconds).
	Seen int64 `json:"t,omitempty"`
}

// BindState is a binding in progress.
type BindState struct {
	// No is the 学号 or 工号 given, once given.
	No string `json:"n,omitempty"`
	// Staff is true when No is a 工号.
	Staff bool `json:"s,omitempty"`
}

// Form is a request being filled in, answer by answer.
type Form struct {
	Kind models.Kind `json:"k"`
	// Field is the question being asked; "summary" at the end.
	Field      string   `json:"q"`
	Reason     string   `json:"r,omitempty"`
	CourseCode string   `json:"cc,omitempty"`
	CourseName string   `json:"cn,omitempty"`
	Phones     []string `json:"p,omitempty"`
	Details    string   `json:"d,omitempty"`
	// Choices are the course codes offered for a pick by number.
	Choices []string `json:"ch,omitempty"`
	// Back lists the questions answered, for 上一步.
	Back []string `json:"bk,omitempty"`
	// Editing is the request being changed (修改 N), 0 for a new one.
	Editing uint64 `json:"e,omitempty"`
	// Paused is true when the student left the form and must say 继续.
	Paused bool `json:"pz,omitempty"`
}

// DialogTTL is how long a dialog is kept after its last message.
const DialogTTL = 24 * time.Hour

// Timings of the per-account lock and of de-duplication.
const (
	lockTTL  = 10 * time.Second
	seenTTL  = 10 * time.Minute
	lockWait = 50 * time.Millisecond
)

// dialogs keeps dialogs in Redis. Each message costs two round trips: one
// script claims the message, locks the account and reads its dialog; one
// writes the dialog, unlocks and stores the reply for re-sent copies.
type dialogs struct {
	rdb    redis.UniversalClient
	prefix string
}

// The keys of one account share a hash tag, so a cluster keeps them on
// one node and the scripts may touch them together.
func (d dialogs) keys(openID, msgKey string) []string {
	base := d.prefix + "{" + openID + "}"
	return []string{base + ":dlg", base + ":lock", base + ":msg:" + msgKey}
}

// beginScript claims the message (unless ARGV[4] says it is already
// claimed), takes the account's lock and returns the dialog.
var beginScript = redis.NewScript(`
if ARGV[4] ~= '1' then
  if not redis.call('SET', KEYS[3], '', 'NX', 'EX', ARGV[3]) then
    return {'dup', redis.call('GET', KEYS[3]) or ''}
  end
end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'busy', ''}
end
return {'ok', redis.call('GET', KEYS[1]) or ''}
`)

// endScript saves the dialog (or deletes it when ARGV[2] is empty),
// stores the reply under the message key and releases the lock if it is
// still ours.
var endScript = redis.NewScript(`
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
redis.call('SET', KEYS[3], ARGV[4], 'XX', 'KEEPTTL')
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1
`)

// session is one message's hold on its account's dialog.
type session struct {
	keys   []string
	token  string
	dialog Dialog
	// lost is true when a stored dialog could not be read.
	lost bool
}

// errDuplicate carries the stored reply of a message seen before.
type errDuplicate struct{ reply string }

func (e *errDuplicate) Error() string { return "message already handled" }

// begin claims the message and locks the account, waiting while another
// message of the same account is being handled.
func (d dialogs) begin(ctx context.Context, openID, msgKey string) (*session, error) {
	tok := make([]byte, 8)
	_, _ = rand.Read(tok)
	s := &session{keys: d.keys(openID, msgKey), token: hex.EncodeToString(tok)}
	args := []any{s.token, lockTTL.Milliseconds(), int(seenTTL.Seconds()), "0"}

	for {
		res, err := beginScript.Run(ctx, d.rdb, s.keys, args...).StringSlice()
		if err != nil {
			return nil, fmt.Errorf("begin dialog: %w", err)
		}
		switch res[0] {
		case "dup":
			return nil, &errDuplicate{reply: res[1]}
		case "ok":
			if res[1] != "" && json.Unmarshal([]byte(res[1]), &s.dialog) != nil {
				s.dialog, s.lost = Dialog{}, true
			}
			return s, nil
		}
		args[3] = "1" // claimed; only the lock is missing
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for dialog lock: %w", ctx.Err())
		case <-time.After(lockWait):
		}
	}
}

// end saves the dialog, records the reply and unlocks the account.
func (d dialogs) end(ctx context.Context, s *session, dl *Dialog, reply string) error {
	var data string
	if dl.Bind != nil || dl.Form != nil {
		b, err := json.Marshal(dl)
		if err != nil {
			return fmt.Errorf("encode dialog: %w", err)
		}
		data = string(b)
	}
	err := endScript.Run(ctx, d.rdb, s.keys, s.token, data, int(DialogTTL.Seconds()),
		replyMark+reply).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("save dialog: %w", err)
	}
	return nil
}

// replyMark starts a stored reply, so that an empty reply is told apart
// from a message still being handled.
const replyMark = "="

// awaitReply returns the reply of a message already handled, waiting a
// little while the first copy is still being handled; "" when none comes.
func (d dialogs) awaitReply(ctx context.Context, openID, msgKey, stored string) string {
	key := d.keys(openID, msgKey)[2]
	deadline := time.Now().Add(4 * time.Second)
	for {
		if strings.HasPrefix(stored, replyMark) {
			return strings.TrimPrefix(stored, replyMark)
		}
		if time.Now().After(deadline) {
			return ""
		}
		select {
		case <-ctx.Done():
			return ""
		case <-time.After(2 * lockWait):
		}
		v, err := d.rdb.Get(ctx, key).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return ""
		}
		stored = v
	}
}
