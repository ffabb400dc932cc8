package i18n

// The supervisor's board over SSH (sshboard): the frame around the
// supervisor's screen and the lines a session ends with.
func init() {
	for k, v := range sshMessages {
		if _, dup := messages[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		messages[k] = v
	}
}

var sshMessages = map[string][3]string{
	"ssh.key.quit":     {"выйти", "вийти", "quit"},
	"ssh.key.help":     {"справка", "довідка", "help"},
	"ssh.help.close":   {"? или esc — закрыть справку", "? або esc — закрити довідку", "? or esc closes the help"},
	"ssh.small":        {"Окно терминала слишком мало (%d×%d): нужно хотя бы 40×10", "Вікно термінала замале (%d×%d): потрібно щонайменше 40×10", "The terminal is too small (%d×%d): make it at least 40×10"},
	"ssh.end.quit":     {"Сеанс окончен.", "Сеанс завершено.", "Session ended."},
	"ssh.end.idle":     {"Сеанс закрыт: %d мин без нажатий клавиш. Подключитесь снова.", "Сеанс закрито: %d хв без натискань клавіш. Підключіться знову.", "Session closed after %d min without a key pressed. Connect again."},
	"ssh.end.revoked":  {"Сеанс закрыт: ключ удалён или роль изменена.", "Сеанс закрито: ключ видалено або роль змінено.", "Session closed: the key was removed or the role changed."},
	"ssh.end.shutdown": {"Сеанс закрыт: сервер останавливается. Подключитесь снова через минуту.", "Сеанс закрито: сервер зупиняється. Підключіться знову за хвилину.", "Session closed: the server is stopping. Connect again in a minute."},
	"ssh.no_pty":       {"Табло показывается только в терминале: ssh -t -p ПОРТ ЛОГИН@СЕРВЕР", "Табло показується лише в терміналі: ssh -t -p ПОРТ ЛОГІН@СЕРВЕР", "The board shows in a terminal only: ssh -t -p PORT LOGIN@HOST"},
	"ssh.busy":         {"Сервер занят: открыто %d сеансов табло. Попробуйте позже.", "Сервер зайнятий: відкрито %d сеансів табло. Спробуйте пізніше.", "The server is busy: %d board sessions are open. Try again later."},
}
