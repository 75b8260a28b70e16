package dev

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
)

// Limits of the photos kept.
const (
	// MaxPhotoBytes is the largest photo the simulator takes: 10 MiB, as
	// WeChat's temporary images.
	MaxPhotoBytes = 10 << 20
	// maxMediaBytes is how much the media store holds; the oldest photos
	// go first.
	maxMediaBytes = 200 << 20
)

// photoTypes are the image formats taken, as http.DetectContentType
// names them.
var photoTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
}

// media is one stored file.
type media struct {
	data        []byte
	contentType string
}

// mediaStore keeps the photos sent from the simulator, as WeChat keeps
// temporary media, for the fake API to hand out by media ID.
type mediaStore struct {
	mu    sync.Mutex
	files map[string]media
	order []string
	size  int
}

func newMediaStore() *mediaStore {
	return &mediaStore{files: map[string]media{}}
}

// add stores a photo and returns its new media ID; the oldest photos are
// dropped to stay under maxMediaBytes.
func (s *mediaStore) add(data []byte, contentType string) string {
	id := newMediaID()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.size+len(data) > maxMediaBytes && len(s.order) > 0 {
		old := s.order[0]
		s.order = s.order[1:]
		s.size -= len(s.files[old].data)
		delete(s.files, old)
	}
	s.files[id] = media{data: data, contentType: contentType}
	s.order = append(s.order, id)
	s.size += len(data)
	return id
}

// get returns the file of a media ID.
func (s *mediaStore) get(id string) (media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.files[id]
	return m, ok
}

// newMediaID returns a media ID that looks like WeChat's: letters, digits
// and '_' only.
func newMediaID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "sim_" + hex.EncodeToString(b)
}

// photoType returns the content type of a photo, and false for anything
// that is not a JPEG, PNG, GIF or WebP image.
func photoType(data []byte) (string, bool) {
	ct := http.DetectContentType(data)
	return ct, photoTypes[ct]
}
