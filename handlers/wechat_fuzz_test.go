package handlers_test

import (
	"net/http"
	"testing"
)

// FuzzWeChatCallback posts random bodies, correctly signed (and encrypted
// in safe mode), and checks that the callback answers 2xx or 4xx without
// panicking.
func FuzzWeChatCallback(f *testing.F) {
	for _, name := range []string{"text.xml", "image.xml", "event_click.xml", "voice.xml"} {
		f.Add(payload(f, name), false)
		f.Add(payload(f, name), true)
	}
	f.Add([]byte(""), false)
	f.Add([]byte("<xml><FromUserName>o</FromUserName><MsgType>text</MsgType>"), true)
	f.Add([]byte("<xml><FromUserName><![CDATA[o]]></FromUserName><MsgType/><x"), false)
	f.Add([]byte("<!DOCTYPE xml [<!ENTITY a 'b'>]><xml>&a;</xml>"), false)

	plain, safe := setupCallback(f), setupCallback(f, withAESKey)
	f.Fuzz(func(t *testing.T, body []byte, encrypted bool) {
		var code int
		if encrypted {
			code = safe.postSafe(t, body).Code
		} else {
			code = plain.postPlain(t, body).Code
		}
		ok := code >= http.StatusOK && code < http.StatusMultipleChoices ||
			code >= http.StatusBadRequest && code < http.StatusInternalServerError
		if !ok {
			t.Fatalf("status %d", code)
		}
	})
}
