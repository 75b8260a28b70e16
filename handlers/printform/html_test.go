package printform_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
)

func TestHTMLShowsEachCopyOfTheForm(t *testing.T) {
	t.Parallel()
	for _, s := range samples() {
		t.Run(string(s.kind), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			require.NoError(t, printform.HTML(&buf, s.form))
			page := buf.String()

			require.Equal(t, s.pages, strings.Count(page, `<section class="sheet">`))
			for _, want := range s.want {
				require.Contains(t, page, want)
			}
			require.Contains(t, page, "@page")
			require.Contains(t, page, "window.print()")
			require.NotRegexp(t, `(src|href)="(https?:)?//`, page, "no outside resources")
		})
	}
}

func TestHTMLEscapesWhatTheStudentTyped(t *testing.T) {
	t.Parallel()
	s := samples()[4] // withdrawal
	s.form.Request.Details = `<script>alert("x")</script> & <b>粗体</b>`

	var buf bytes.Buffer
	require.NoError(t, printform.HTML(&buf, s.form))
	page := buf.String()

	require.NotContains(t, page, "<script>")
	require.NotContains(t, page, "<b>")
	require.Contains(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;粗体")
}

func TestHTMLQRCodeIsAnInlinePNGOfTheVerifyURL(t *testing.T) {
	t.Parallel()
	s := samples()[3]
	var buf bytes.Buffer
	require.NoError(t, printform.HTML(&buf, s.form))

	dataImg := regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`)
	m := dataImg.FindStringSubmatch(buf.String())
	require.NotNil(t, m, "QR code as a data URL")
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(raw))
	require.NoError(t, err)

	require.Equal(t, s.form.VerifyURL, decodeImage(t, img))
}
