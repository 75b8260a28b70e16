package wechat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// mediaPath is the API that downloads a temporary media file.
const mediaPath = "/cgi-bin/media/get"

// MaxMediaBytes is the largest media file Media downloads: 10 MiB.
const MaxMediaBytes = 10 << 20

// Media downloads the temporary media file (a photo the user sent) and
// returns its bytes and content type. A file over MaxMediaBytes is
// ErrMediaTooLarge; an unknown or expired media ID is an *APIError.
func (c *Client) Media(ctx context.Context, mediaID string) ([]byte, string, error) {
	if mediaID == "" {
		return nil, "", errors.New("wechat: media: no media ID")
	}
	var data []byte
	var contentType string
	err := c.withToken(ctx, func(ctx context.Context, token string) error {
		var err error
		data, contentType, err = getMedia(ctx, token, mediaID)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("get media: %w", err)
	}
	return data, contentType, nil
}

// getMedia makes one download of a media file.
func getMedia(ctx context.Context, token, mediaID string) ([]byte, string, error) {
	u := apiURL(mediaPath, token, url.Values{"media_id": {mediaID}})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", requestError(http.MethodGet, mediaPath, err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, "", requestError(http.MethodGet, mediaPath, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: HTTP %d", mediaPath, resp.StatusCode)
	}

	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxMediaBytes+1))
	if err != nil {
		return nil, "", requestError(http.MethodGet, mediaPath, err)
	}
	if len(data) > MaxMediaBytes {
		return nil, "", ErrMediaTooLarge
	}
	contentType := resp.Header.Get("Content-Type")
	if isAnswer(contentType, data) {
		if err := answerError(mediaPath, data); err != nil {
			return nil, "", err
		}
		return nil, "", errors.New("wechat: media is not a file (a video link?)")
	}
	if contentType == "" {
		contentType = http.DetectContentType(data)
	}
	return data, contentType, nil
}

// isAnswer reports whether a download is WeChat's JSON answer (an error)
// rather than the file: WeChat labels those JSON or plain text.
func isAnswer(contentType string, data []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "application/json" && mt != "text/plain" && !strings.HasSuffix(mt, "+json") {
		return false
	}
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
}
