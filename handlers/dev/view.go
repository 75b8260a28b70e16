package dev

import (
	"html"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/imut/xuewu/models"
)

// messageView is a chat message as the page's script gets it. Text comes
// as parts, each plain text or a link the simulator vetted; the script
// puts them in the page as text nodes, never as HTML.
type messageView struct {
	Seq   int64      `json:"seq"`
	Mine  bool       `json:"mine"`
	Kind  string     `json:"kind"`
	Parts []textPart `json:"parts,omitempty"`
	Photo string     `json:"photo,omitempty"`
	Card  *cardView  `json:"card,omitempty"`
	Time  string     `json:"time"`
}

// textPart is a piece of text, a link when Href is set.
type textPart struct {
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

// cardView is a template message; Href opens its page, when it has one.
type cardView struct {
	Title  string   `json:"title"`
	Lines  []string `json:"lines"`
	Remark string   `json:"remark,omitempty"`
	Href   string   `json:"href,omitempty"`
}

// view converts a message for the page.
func (s *Simulator) view(m message) messageView {
	v := messageView{Seq: m.Seq, Mine: m.From == fromPerson, Kind: m.Kind,
		Time: models.ChinaTime(m.At).Format("15:04")}
	switch m.Kind {
	case kindPhoto:
		v.Photo = Prefix + "/photo/" + url.PathEscape(m.MediaID)
	case kindCard:
		v.Card = &cardView{Title: m.Card.Title, Lines: m.Card.Lines, Remark: m.Card.Remark,
			Href: s.openLink(m.Card.URL)}
	default:
		v.Parts = s.parts(m.Text)
	}
	return v
}

var (
	// anchorRe finds the links WeChat text messages may carry.
	anchorRe = regexp.MustCompile(`(?is)<a\s+href\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a>`)
	// bareURLRe finds a URL written out in text; it ends at white space,
	// quotes, angle brackets and Chinese punctuation.
	bareURLRe = regexp.MustCompile(`https?://[^\s<>"'，。；：！？、）】」]+`)
)

// parts splits a text message into plain text and links. Only links to
// the /h5 pages become links, through /dev/open; any other stays text.
func (s *Simulator) parts(text string) []textPart {
	var out []textPart
	rest := text
	for {
		loc := anchorRe.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		out = append(out, s.bareParts(rest[:loc[0]])...)
		href := html.UnescapeString(rest[loc[2]:loc[3]])
		label := html.UnescapeString(rest[loc[4]:loc[5]])
		if to := s.openLink(href); to != "" {
			out = append(out, textPart{Text: label, Href: to})
		} else {
			out = append(out, textPart{Text: label + "（" + href + "）"})
		}
		rest = rest[loc[1]:]
	}
	return append(out, s.bareParts(rest)...)
}

// bareParts links the URLs written out in text.
func (s *Simulator) bareParts(text string) []textPart {
	var out []textPart
	for text != "" {
		loc := bareURLRe.FindStringIndex(text)
		if loc == nil {
			out = append(out, textPart{Text: text})
			break
		}
		if loc[0] > 0 {
			out = append(out, textPart{Text: text[:loc[0]]})
		}
		u := text[loc[0]:loc[1]]
		out = append(out, textPart{Text: u, Href: s.openLink(u)})
		text = text[loc[1]:]
	}
	return out
}

// openLink returns the simulator's link that opens raw, a page under
// PUBLIC_URL/h5/, as the person chosen: /dev/open?to=/h5/…. It returns ""
// for any other URL.
func (s *Simulator) openLink(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != s.public.Scheme || u.Host != s.public.Host ||
		u.User != nil {
		return ""
	}
	to := localH5(u.RequestURI())
	if to == "" {
		return ""
	}
	return Prefix + "/open?to=" + url.QueryEscape(to)
}

// localH5 returns raw when it is a clean local path under /h5/ with an
// optional query, and "" otherwise: never another site.
func localH5(raw string) string {
	if raw == "" || strings.ContainsAny(raw, "\\") || strings.HasPrefix(raw, "//") {
		return ""
	}
	for _, r := range raw {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	clean := path.Clean(u.Path)
	if !strings.HasPrefix(clean, h5Path+"/") {
		return ""
	}
	return (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
}
