package io.keisei.trainer.shogi;

/**
 * SFEN parsing and formatting: {@code <board> <b|w> <hands|-> [<move number>]}.
 *
 * <p>Parsing is strict because a malformed position would silently corrupt perft numbers or
 * training data: it rejects wrong rank widths, unknown letters, '+' on unpromotable pieces, kings
 * in hand, more pieces of a kind than a set has, pieces that could never move (pawn/lance on the
 * last rank, knight on the last two), two unpromoted pawns of one side on a file, more than one
 * king per side, and positions where the side not to move is in check. Missing kings are allowed
 * so that problem (tsume) positions can be loaded. The move number may be omitted (defaults to 1).
 */
public final class Sfen {
    private Sfen() {
    }

    public static Position parse(String sfen) {
        if (sfen == null) {
            throw new IllegalArgumentException("SFEN is null");
        }
        String[] parts = sfen.trim().split("\\s+");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("SFEN needs 3 or 4 fields (board side hands [move]): '" + sfen + "'");
        }
        Position pos = new Position();
        parseBoard(parts[0], pos);
        switch (parts[1]) {
            case "b" -> pos.side = Piece.BLACK;
            case "w" -> pos.side = Piece.WHITE;
            default -> throw new IllegalArgumentException("SFEN side to move must be 'b' or 'w', got '" + parts[1] + "'");
        }
        parseHands(parts[2], pos);
        if (parts.length == 4) {
            pos.startMoveNumber = parseMoveNumber(parts[3]);
        }
        pos.finishSetup();
        validate(pos);
        return pos;
    }

    public static String format(Position pos) {
        StringBuilder sb = new StringBuilder(90);
        for (int row = 0; row < 9; row++) {
            if (row > 0) {
                sb.append('/');
            }
            int empty = 0;
            for (int col = 0; col < 9; col++) {
                int p = pos.board[Square.of(row, col)];
                if (p == 0) {
                    empty++;
                    continue;
                }
                if (empty > 0) {
                    sb.append(empty);
                    empty = 0;
                }
                sb.append(Piece.sfen(p));
            }
            if (empty > 0) {
                sb.append(empty);
            }
        }
        sb.append(pos.side == Piece.BLACK ? " b " : " w ");
        int handStart = sb.length();
        for (int color = 0; color < 2; color++) {
            for (int type : Piece.SFEN_HAND_ORDER) {
                int n = pos.hand[color][type];
                if (n > 0) {
                    if (n > 1) {
                        sb.append(n);
                    }
                    char c = Piece.letter(type);
                    sb.append(color == Piece.BLACK ? c : Character.toLowerCase(c));
                }
            }
        }
        if (sb.length() == handStart) {
            sb.append('-');
        }
        sb.append(' ').append(pos.moveNumber());
        return sb.toString();
    }

    private static void parseBoard(String text, Position pos) {
        String[] rows = text.split("/", -1);
        if (rows.length != 9) {
            throw new IllegalArgumentException("SFEN board must have 9 ranks separated by '/', got " + rows.length);
        }
        for (int row = 0; row < 9; row++) {
            String r = rows[row];
            int col = 0;
            boolean promoted = false;
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c >= '1' && c <= '9') {
                    if (promoted) {
                        throw new IllegalArgumentException("SFEN '+' must be followed by a piece in rank " + (row + 1));
                    }
                    col += c - '0';
                } else if (c == '+') {
                    if (promoted) {
                        throw new IllegalArgumentException("SFEN has '++' in rank " + (row + 1));
                    }
                    promoted = true;
                    continue;
                } else {
                    int type = Piece.typeOfLetter(c);
                    if (type == 0 || !Character.isLetter(c)) {
                        throw new IllegalArgumentException("SFEN has unknown piece '" + c + "' in rank " + (row + 1));
                    }
                    if (promoted) {
                        if (!Piece.canPromote(type)) {
                            throw new IllegalArgumentException("SFEN piece '" + c + "' cannot be promoted");
                        }
                        type = Piece.promote(type);
                    }
                    if (col >= 9) {
                        throw new IllegalArgumentException("SFEN rank " + (row + 1) + " has more than 9 squares");
                    }
                    int color = Character.isUpperCase(c) ? Piece.BLACK : Piece.WHITE;
                    pos.board[Square.of(row, col)] = Piece.make(color, type);
                    col++;
                }
                promoted = false;
                if (col > 9) {
                    throw new IllegalArgumentException("SFEN rank " + (row + 1) + " has more than 9 squares");
                }
            }
            if (promoted) {
                throw new IllegalArgumentException("SFEN '+' must be followed by a piece in rank " + (row + 1));
            }
            if (col != 9) {
                throw new IllegalArgumentException("SFEN rank " + (row + 1) + " has " + col + " squares, expected 9");
            }
        }
    }

    private static void parseHands(String text, Position pos) {
        if (text.equals("-")) {
            return;
        }
        int i = 0;
        while (i < text.length()) {
            int count = 0;
            int digits = 0;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                count = count * 10 + (text.charAt(i) - '0');
                if (++digits > 2) {
                    throw new IllegalArgumentException("SFEN hand count too large in '" + text + "'");
                }
                i++;
            }
            if (i >= text.length()) {
                throw new IllegalArgumentException("SFEN hand ends with a number: '" + text + "'");
            }
            char c = text.charAt(i++);
            int type = Piece.typeOfLetter(c);
            if (type == 0 || type == Piece.KING || !Character.isLetter(c)) {
                throw new IllegalArgumentException("SFEN hand has invalid piece '" + c + "'");
            }
            if (digits > 0 && count < 1) {
                throw new IllegalArgumentException("SFEN hand count must be positive in '" + text + "'");
            }
            int color = Character.isUpperCase(c) ? Piece.BLACK : Piece.WHITE;
            pos.hand[color][type] += digits == 0 ? 1 : count;
            if (pos.hand[color][type] > Piece.MAX_COUNT[type]) {
                throw new IllegalArgumentException("SFEN hand has too many '" + c + "'");
            }
        }
    }

    private static int parseMoveNumber(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new IllegalArgumentException("SFEN move number must be >= 1, got " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SFEN move number is not a number: '" + text + "'");
        }
    }

    private static void validate(Position pos) {
        int[] counts = new int[9];
        int[] kings = new int[2];
        int[][] pawnsOnFile = new int[2][9];
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.board[sq];
            if (p == 0) {
                continue;
            }
            int color = Piece.color(p);
            int type = Piece.type(p);
            counts[Piece.unpromote(type)]++;
            if (type == Piece.KING) {
                kings[color]++;
            }
            int edge = Square.ranksToEdge(color, sq);
            if (((type == Piece.PAWN || type == Piece.LANCE) && edge == 0) || (type == Piece.KNIGHT && edge <= 1)) {
                throw new IllegalArgumentException("SFEN has a " + Piece.sfen(p) + " on " + Square.usi(sq) + " where it can never move");
            }
            if (type == Piece.PAWN && ++pawnsOnFile[color][Square.col(sq)] > 1) {
                throw new IllegalArgumentException("SFEN has two unpromoted pawns of one side on file " + Square.file(sq));
            }
        }
        for (int c = 0; c < 2; c++) {
            if (kings[c] > 1) {
                throw new IllegalArgumentException("SFEN has more than one " + (c == 0 ? "black" : "white") + " king");
            }
            for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
                counts[t] += pos.hand[c][t];
            }
        }
        for (int t = Piece.PAWN; t <= Piece.KING; t++) {
            if (counts[t] > Piece.MAX_COUNT[t]) {
                throw new IllegalArgumentException("SFEN has " + counts[t] + " pieces of type " + Piece.letter(t)
                        + ", more than the " + Piece.MAX_COUNT[t] + " in a set");
            }
        }
        int other = pos.side ^ 1;
        int k = pos.kingSq[other];
        if (k >= 0 && pos.isAttacked(k, pos.side)) {
            throw new IllegalArgumentException("SFEN position is illegal: the side not to move is in check");
        }
    }
}
