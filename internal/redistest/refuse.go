package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Command sends one command to the server and returns its first reply
// line; an error reply is an error.
func (s *Server) Command(args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", s.Addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := conn.Write([]byte(b.String())); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "-") {
		return "", errors.New(line[1:])
	}
	return line, nil
}

// Fill makes the server refuse every write that needs memory, as a Redis
// at its maxmemory with the noeviction policy does: reads and DEL still
// work, SET answers "OOM command not allowed".
func (s *Server) Fill() error {
	if _, err := s.Command("CONFIG", "SET", "maxmemory-policy", "noeviction"); err != nil {
		return err
	}
	_, err := s.Command("CONFIG", "SET", "maxmemory", "1")
	return err
}

// ReadOnly makes the server a replica of a master that does not answer, as
// during a failover: it serves reads and answers every write "READONLY".
func (s *Server) ReadOnly() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	_, err = s.Command("REPLICAOF", "127.0.0.1", strconv.Itoa(port))
	return err
}

// TakeWrites undoes Fill and ReadOnly.
func (s *Server) TakeWrites() error {
	if _, err := s.Command("CONFIG", "SET", "maxmemory", "0"); err != nil {
		return err
	}
	_, err := s.Command("REPLICAOF", "NO", "ONE")
	return err
}
