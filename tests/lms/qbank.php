#!/usr/bin/env php
<?php
// Our question banks in the lab's Moodle, through Moodle's own API (tests/lms/test_question_banks.py).
// Prints one JSON object on stdout.
//
//   php qbank.php --action=import --course=SHORTNAME --file=F --format=xml|gift
//       Imports F into the course's question bank as the import page does (categories and
//       contexts from the file, grades that Moodle does not list are an error, stop on
//       error), then reports every question of the course: its category path, qtype, name,
//       idnumber, text, default mark, general feedback, answers with fractions and feedback,
//       and what its type adds (single, subquestions, grading type, grader information).
//   php qbank.php --action=attempt --course=SHORTNAME --category=PATH --plan=JSON
//       A new quiz (grade 100, deferred feedback) holding every question of the category
//       (PATH: names below the course's top, joined by '/'), attempted by the student:
//       each question answered as the plan says by idnumber ("right", "wrong", or
//       "partial": a multiple choice with its first correct choice only), submitted and
//       graded by Moodle. Reports each slot's fraction, mark and maximum mark, and the
//       attempt's sumgrades and quiz grade.
//   The course and the student come from the lab's lms_setup.php (--course=SHORTNAME).
define('CLI_SCRIPT', true);
foreach ($argv as $i => $a) {
    if (strpos($a, '--file=') === 0 && ($rp = realpath(substr($a, 7)))) {
        $_SERVER['argv'][$i] = $argv[$i] = '--file=' . $rp;
    }
}
require((getenv('LMS_HOME') ?: getenv('HOME') . '/.cache/mooc-lms') . '/moodle/config.php');
require_once($CFG->libdir . '/clilib.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->dirroot . '/mod/quiz/locallib.php');

[$opt, $unrec] = cli_get_params([
    'action' => '', 'course' => '', 'file' => '', 'format' => 'xml', 'category' => '',
    'plan' => '{}', 'student' => 'student1', 'help' => false,
], ['h' => 'help']);
if ($opt['help'] || !in_array($opt['action'], ['import', 'attempt'], true) || $opt['course'] === '') {
    echo "see the header of this file\n";
    exit($opt['help'] ? 0 : 1);
}

\core\session\manager::set_user(get_admin());
$course = $DB->get_record('course', ['shortname' => $opt['course']], '*', MUST_EXIST);
$context = context_course::instance($course->id);

/** The names of a category's path below its context's top category. */
function category_path(int $categoryid): string {
    global $DB;
    $names = [];
    while ($categoryid) {
        $cat = $DB->get_record('question_categories', ['id' => $categoryid], '*', MUST_EXIST);
        if ((int)$cat->parent === 0) {
            break;
        }
        array_unshift($names, $cat->name);
        $categoryid = (int)$cat->parent;
    }
    return implode('/', $names);
}

/** Every (latest version of a) question of the course's question bank. */
function course_questions(context $context): array {
    global $DB;
    $sql = "SELECT q.id, qbe.idnumber, qbe.questioncategoryid
              FROM {question} q
              JOIN {question_versions} qv ON qv.questionid = q.id
              JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
              JOIN {question_categories} qc ON qc.id = qbe.questioncategoryid
             WHERE qc.contextid = ? AND q.parent = 0
          ORDER BY q.id";
    return $DB->get_records_sql($sql, [$context->id]);
}

function answers_of(stdClass $data): array {
    $out = [];
    foreach ($data->options->answers ?? [] as $a) {
        $out[] = ['text' => $a->answer, 'format' => (int)$a->answerformat,
            'fraction' => (float)$a->fraction, 'feedback' => $a->feedback];
    }
    return $out;
}

function report_question(int $id, ?string $idnumber, int $categoryid): array {
    $data = question_bank::load_question_data($id);
    $out = [
        'id' => $id, 'qtype' => $data->qtype, 'name' => $data->name, 'idnumber' => $idnumber,
        'category' => category_path($categoryid), 'questiontext' => $data->questiontext,
        'questiontextformat' => (int)$data->questiontextformat,
        'generalfeedback' => $data->generalfeedback, 'defaultmark' => (float)$data->defaultmark,
        'penalty' => (float)$data->penalty, 'answers' => answers_of($data),
    ];
    $o = $data->options;
    switch ($data->qtype) {
        case 'multichoice':
            $out['single'] = (bool)$o->single;
            $out['shuffleanswers'] = (bool)$o->shuffleanswers;
            break;
        case 'truefalse':
            $out['correct'] = (float)$o->answers[$o->trueanswer]->fraction == 1.0;
            break;
        case 'shortanswer':
            $out['usecase'] = (bool)$o->usecase;
            break;
        case 'match':
            $out['subquestions'] = array_values(array_map(fn($s) => [
                'text' => $s->questiontext, 'answer' => $s->answertext], $o->subquestions));
            break;
        case 'ordering':
            $out['gradingtype'] = (int)$o->gradingtype;
            $out['selecttype'] = (int)$o->selecttype;
            break;
        case 'essay':
            $out['responserequired'] = (int)$o->responserequired;
            $out['graderinfo'] = $o->graderinfo;
            break;
    }
    return $out;
}

if ($opt['action'] === 'import') {
    $format = clean_param($opt['format'], PARAM_PLUGIN);
    require_once($CFG->dirroot . "/question/format/{$format}/format.php");
    $classname = 'qformat_' . $format;
    $qformat = new $classname();
    $contexts = new core_question\local\bank\question_edit_contexts($context);
    $category = question_make_default_categories($contexts->all());
    $qformat->setCategory($category);
    $qformat->setContexts($contexts->having_one_edit_tab_cap('import'));
    $qformat->setCourse($course);
    $qformat->setFilename($opt['file']);
    $qformat->setRealfilename(basename($opt['file']));
    $qformat->setMatchgrades('error');
    $qformat->setCatfromfile(true);
    $qformat->setContextfromfile(true);
    $qformat->setStoponerror(true);
    ob_start();
    $ok = $qformat->importpreprocess() && $qformat->importprocess() && $qformat->importpostprocess();
    $output = ob_get_clean();
    $questions = [];
    foreach (course_questions($context) as $q) {
        $questions[] = report_question((int)$q->id, $q->idnumber, (int)$q->questioncategoryid);
    }
    echo json_encode(['ok' => $ok, 'output' => strip_tags($output), 'questions' => $questions],
        JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
    exit($ok ? 0 : 2);
}

// ---- attempt: a quiz of one category's questions, answered by the student as planned
$plan = json_decode($opt['plan'], true);
$student = $DB->get_record('user', ['username' => $opt['student']], '*', MUST_EXIST);
$ids = [];
foreach (course_questions($context) as $q) {
    if (category_path((int)$q->questioncategoryid) === $opt['category']) {
        $ids[] = (int)$q->id;
    }
}
if (!$ids) {
    cli_error('no question in category ' . $opt['category']);
}
$mi = (object)[
    'modulename' => 'quiz', 'module' => $DB->get_field('modules', 'id', ['name' => 'quiz'], MUST_EXIST),
    'course' => $course->id, 'section' => 1, 'visible' => 1, 'visibleoncoursepage' => 1,
    'name' => 'Question bank test ' . date('H:i:s'), 'intro' => '', 'introformat' => FORMAT_HTML,
    'cmidnumber' => '', 'groupmode' => 0, 'groupingid' => 0, 'availability' => null,
    'completion' => 0, 'timeopen' => 0, 'timeclose' => 0, 'timelimit' => 0,
    'overduehandling' => 'autosubmit', 'graceperiod' => 0, 'grade' => 100, 'gradepass' => 0,
    'attempts' => 0, 'grademethod' => QUIZ_GRADEHIGHEST, 'questionsperpage' => 0,
    'navmethod' => 'free', 'shuffleanswers' => 1, 'preferredbehaviour' => 'deferredfeedback',
    'canredoquestions' => 0, 'attemptonlast' => 0, 'showuserpicture' => 0, 'decimalpoints' => 2,
    'questiondecimalpoints' => -1, 'showblocks' => 0, 'quizpassword' => '', 'subnet' => '',
    'delay1' => 0, 'delay2' => 0, 'browsersecurity' => '-', 'completionminattempts' => 0,
    'completionattemptsexhausted' => 0, 'allowofflineattempts' => 0,
];
foreach (['attempt', 'correctness', 'maxmarks', 'marks', 'specificfeedback', 'generalfeedback',
        'rightanswer', 'overallfeedback'] as $field) {
    foreach (['during', 'immediately', 'open', 'closed'] as $when) {
        $mi->{$field . $when} = 1;
    }
}
$mi = add_moduleinfo($mi, $course);
$quiz = $DB->get_record('quiz', ['id' => $mi->instance], '*', MUST_EXIST);
$quiz->cmid = $mi->coursemodule;
foreach ($ids as $id) {
    quiz_add_quiz_question($id, $quiz);
}
$quizobj = \mod_quiz\quiz_settings::create($quiz->id, $student->id);
$quizobj->get_grade_calculator()->recompute_quiz_sumgrades();

\core\session\manager::set_user($student);
$quizobj = \mod_quiz\quiz_settings::create($quiz->id, $student->id);
$timenow = time();
$quba = question_engine::make_questions_usage_by_activity('mod_quiz', $quizobj->get_context());
$quba->set_preferred_behaviour($quizobj->get_quiz()->preferredbehaviour);
$attempt = quiz_create_attempt($quizobj, 1, null, $timenow, false, $student->id);
quiz_start_new_attempt($quizobj, $quba, $attempt, 1, $timenow);
quiz_attempt_save_started($quizobj, $quba, $attempt);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);

/** The response of a question attempt: right, wrong, or (multiple choice) partly right. */
function response_for(question_attempt $qa, string $mode): array {
    $q = $qa->get_question();
    $right = $q->get_correct_response() ?? [];
    if ($mode === 'right') {
        return $q->get_type_name() === 'essay' ? ['answer' => 'A reflection.', 'answerformat' => FORMAT_HTML]
            : $right;
    }
    switch ($q->get_type_name()) {
        case 'multichoice':
            $order = $q->get_order($qa);
            if ($q instanceof qtype_multichoice_single_question) {
                foreach ($order as $i => $ansid) {
                    if ($q->answers[$ansid]->fraction <= 0) {
                        return ['answer' => $i];
                    }
                }
            }
            $out = [];
            $wrongchosen = false;
            $firstchosen = false;
            foreach ($order as $i => $ansid) {
                $good = $q->answers[$ansid]->fraction > 0;
                if ($mode === 'partial') {
                    if ($good && !$firstchosen) {
                        $out['choice' . $i] = 1;
                        $firstchosen = true;
                    }
                } else if ($good || !$wrongchosen) {  // wrong: every correct choice and one wrong one
                    $out['choice' . $i] = 1;
                    $wrongchosen = $wrongchosen || !$good;
                }
            }
            return $out;
        case 'truefalse':
            return ['answer' => $q->rightanswer ? 0 : 1];
        case 'shortanswer':
            return ['answer' => 'surely not this'];
        case 'match':
            // each stem given the choice of the next stem: none right
            $keys = array_keys($right);
            $values = array_values($right);
            $out = [];
            foreach ($keys as $i => $key) {
                $out[$key] = $values[($i + 1) % count($values)];
            }
            return $out;
        case 'ordering':
            // the correct order reversed
            $key = array_key_first($right);
            return [$key => implode(',', array_reverse(explode(',', $right[$key])))];
        default:
            return ['answer' => 'A reflection.', 'answerformat' => FORMAT_HTML];
    }
}

$responses = [];
foreach ($attemptobj->get_slots() as $slot) {
    $qa = $attemptobj->get_question_attempt($slot);
    $idnumber = $qa->get_question()->idnumber;
    $responses[$slot] = response_for($qa, $plan[$idnumber] ?? 'right');
}
// the responses as the question engine's own variables (what the form posts, unprefixed)
$quba = question_engine::load_questions_usage_by_activity($attempt->uniqueid);
foreach ($responses as $slot => $response) {
    $quba->process_action($slot, $response, $timenow);
}
question_engine::save_questions_usage_by_activity($quba);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
$attemptobj->process_finish($timenow, false);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);

$slots = [];
foreach ($attemptobj->get_slots() as $slot) {
    $qa = $attemptobj->get_question_attempt($slot);
    $slots[] = ['slot' => $slot, 'idnumber' => $qa->get_question()->idnumber,
        'qtype' => $qa->get_question()->get_type_name(), 'response' => $responses[$slot],
        'fraction' => $qa->get_fraction(), 'mark' => $qa->get_mark(), 'maxmark' => $qa->get_max_mark(),
        'state' => (string)$qa->get_state()];
}
$record = $attemptobj->get_attempt();
$grade = quiz_rescale_grade($record->sumgrades, $quizobj->get_quiz(), false);
echo json_encode(['quizid' => (int)$quiz->id, 'cmid' => (int)$quiz->cmid, 'state' => $record->state,
    'sumgrades' => $record->sumgrades === null ? null : (float)$record->sumgrades,
    'maxsumgrades' => (float)$quizobj->get_quiz()->sumgrades, 'grade' => $grade === null ? null : (float)$grade,
    'slots' => $slots], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
