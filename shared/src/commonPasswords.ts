/**
 * Passwords and password stems that lead public breach-frequency lists. Compared in lower
 * case, and also after stripping trailing digits and symbols ("Summer2024!" -> "summer").
 */
const LIST = `
123456 123456789 12345678 1234567890 12345 1234567 password password1 passw0rd qwerty qwerty123 qwertyuiop
abc123 111111 000000 123123 654321 666666 7777777 888888 987654321 121212 112233 123321 159753 147258369
iloveyou admin administrator welcome letmein monkey dragon football baseball basketball soccer hockey
master login princess sunshine shadow superman batman trustno1 whatever freedom starwars pokemon
hello charlie donald michael jordan jennifer hunter ranger buster thomas tigger robert daniel andrew
summer winter spring autumn january february march april may june july august september october
november december secret changeme default guest test tester testing access computer internet
flower cookie cheese chocolate pepper ginger orange banana purple yellow silver golden diamond
love lovely angel blessed jesus god matrix ninja mustang harley corvette ferrari porsche yankees
liverpool chelsea arsenal barcelona realmadrid united killer hacker zaq1zaq1 1q2w3e4r 1qaz2wsx
qazwsx asdfgh asdfghjkl zxcvbnm aa123456 a123456 123qwe qwe123 q1w2e3r4 azerty 1q2w3e welcome1
company office school student teacher printer fleetsync
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
