package io.keisei.trainer.shogi;

/**
 * Exports a {@link Game} as KIF text, the common Japanese game-record format read by shogi GUIs
 * (Kifu for Windows, ShogiGUI, Shogidokoro...).
 *
 * <p>Moves are written the usual way, e.g. {@code ７六歩(77)}, {@code 同　角成(88)},
 * {@code ５五歩打}, with {@code 不成} when a promotion was possible but declined. A game from the
 * standard start gets {@code 手合割：平手}; any other start is written as a board diagram (BOD).
 * The text is returned as a String; KIF files are traditionally Shift_JIS, so writers should either
 * encode it that way or save it as UTF-8 (the first line declares UTF-8, which ".kifu" readers expect).
 */
public final class Kif {
    private static final String FILES = "０１２３４５６７８９";
    private static final String KANJI_DIGITS = "〇一二三四五六七八九";
    /** Names by piece type (index = Piece type). */
    private static final String[] NAMES = {
        "", "歩", "香", "桂", "銀", "角", "飛", "金", "玉", "と", "成香", "成桂", "成銀", "馬", "龍"
    };
    /** One-character names for the board diagram (promoted lance/knight/silver use their short forms). */
    private static final String[] BOARD_NAMES = {
        "", "歩", "香", "桂", "銀", "角", "飛", "金", "玉", "と", "杏", "圭", "全", "馬", "龍"
    };

    private Kif() {
    }

    public static String export(Game game) {
        return export(game, "Black", "White");
    }

    public static String export(Game game, String blackName, String whiteName) {
        StringBuilder sb = new StringBuilder();
        sb.append("#KIF version=2.0 encoding=UTF-8\n");
        sb.append("# Exported by the Keisei built-in shogi trainer\n");
        Position replay = Position.fromSfen(game.startSfen());
        if (game.startSfen().equals(Position.START_SFEN)) {
            sb.append("手合割：平手\n");
        } else {
            appendDiagram(sb, replay);
        }
        sb.append("先手：").append(blackName).append('\n');
        sb.append("後手：").append(whiteName).append('\n');
        sb.append("手数----指手---------消費時間--\n");

        int[] moves = game.moves();
        int previousTo = -1;
        for (int i = 0; i < moves.length; i++) {
            int m = moves[i];
            sb.append(number(i + 1)).append(moveText(replay, m, previousTo)).append('\n');
            previousTo = Move.to(m);
            replay.play(m);
        }
        appendEnding(sb, game.result(), moves.length);
        return sb.toString();
    }

    /** Japanese notation of a legal move of {@code pos}, before it is played. */
    static String moveText(Position pos, int move, int previousTo) {
        int to = Move.to(move);
        StringBuilder sb = new StringBuilder();
        if (to == previousTo) {
            sb.append("同　");
        } else {
            sb.append(FILES.charAt(Square.file(to))).append(KANJI_DIGITS.charAt(Square.rank(to)));
        }
        if (Move.isDrop(move)) {
            return sb.append(NAMES[Move.dropType(move)]).append('打').toString();
        }
        int from = Move.from(move);
        int type = Piece.type(Move.piece(move));
        sb.append(NAMES[type]);
        if (Move.isPromotion(move)) {
            sb.append('成');
        } else if (Piece.canPromote(type) && (Square.inPromotionZone(pos.side, from) || Square.inPromotionZone(pos.side, to))) {
            sb.append("不成");
        }
        return sb.append('(').append(Square.file(from)).append(Square.rank(from)).append(')').toString();
    }

    private static void appendEnding(StringBuilder sb, GameResult result, int n) {
        String winner = result.winner() == Piece.BLACK ? "先手" : "後手";
        switch (result.reason()) {
            case CHECKMATE, NO_LEGAL_MOVES -> {
                sb.append(number(n + 1)).append("詰み\n");
                sb.append("まで").append(n).append("手で").append(winner).append("の勝ち\n");
            }
            case SENNICHITE -> {
                sb.append(number(n + 1)).append("千日手\n");
                sb.append("まで").append(n).append("手で千日手\n");
            }
            case PERPETUAL_CHECK -> {
                sb.append(number(n + 1)).append("反則負け\n");
                sb.append("まで").append(n).append("手で連続王手の千日手により").append(winner).append("の勝ち\n");
            }
            case MAX_MOVES -> {
                sb.append(number(n + 1)).append("持将棋\n");
                sb.append("まで").append(n).append("手で持将棋\n");
            }
            case IMPASSE -> {
                sb.append(number(n + 1)).append("入玉勝ち\n");
                sb.append("まで").append(n).append("手で入玉宣言により").append(winner).append("の勝ち\n");
            }
            case RESIGN -> {
                sb.append(number(n + 1)).append("投了\n");
                sb.append("まで").append(n).append("手で").append(winner).append("の勝ち\n");
            }
            case NONE -> {
                sb.append(number(n + 1)).append("中断\n");
                sb.append("まで").append(n).append("手で中断\n");
            }
            default -> throw new IllegalStateException("unknown reason " + result.reason());
        }
    }

    private static void appendDiagram(StringBuilder sb, Position pos) {
        sb.append("後手の持駒：").append(handText(pos, Piece.WHITE)).append('\n');
        sb.append("  ９ ８ ７ ６ ５ ４ ３ ２ １\n");
        sb.append("+---------------------------+\n");
        for (int row = 0; row < 9; row++) {
            sb.append('|');
            for (int col = 0; col < 9; col++) {
                int p = pos.pieceAt(Square.of(row, col));
                if (p == 0) {
                    sb.append(" ・");
                } else {
                    sb.append(Piece.color(p) == Piece.WHITE ? 'v' : ' ').append(BOARD_NAMES[Piece.type(p)]);
                }
            }
            sb.append('|').append(KANJI_DIGITS.charAt(row + 1)).append('\n');
        }
        sb.append("+---------------------------+\n");
        sb.append("先手の持駒：").append(handText(pos, Piece.BLACK)).append('\n');
        if (pos.sideToMove() == Piece.WHITE) {
            sb.append("後手番\n");
        }
    }

    private static String handText(Position pos, int color) {
        StringBuilder sb = new StringBuilder();
        for (int type : Piece.SFEN_HAND_ORDER) {
            int n = pos.handCount(color, type);
            if (n == 0) {
                continue;
            }
            sb.append(NAMES[type]);
            if (n > 1) {
                sb.append(kanjiNumber(n));
            }
            sb.append('　');
        }
        return sb.length() == 0 ? "なし" : sb.toString();
    }

    /** Right-aligned move number column ("   1 "), locale-independent unlike String.format. */
    private static String number(int n) {
        String s = Integer.toString(n);
        return "    ".substring(Math.min(4, s.length())) + s + " ";
    }

    /** 2..18 as kanji (二, 十, 十八). */
    private static String kanjiNumber(int n) {
        if (n < 10) {
            return String.valueOf(KANJI_DIGITS.charAt(n));
        }
        return "十" + (n > 10 ? String.valueOf(KANJI_DIGITS.charAt(n - 10)) : "");
    }
}
