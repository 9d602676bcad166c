/// A type that presents a task's questions and answers to a learner: questions as fixed-width categorical
/// features, answers as classes.
///
/// Learners in `AmplificationLearners` are generic over an encoding, so a new task becomes learnable by
/// writing one. Each question becomes ``featureCardinalities``.count features; feature `i` takes values in
/// `0..<featureCardinalities[i]` (a learner may one-hot or embed it). Each answer becomes one of
/// ``answerClassCount`` classes.
public protocol TaskEncoding<Question, Answer>: Sendable {
    /// The task's question type.
    associatedtype Question: Sendable
    /// The task's answer type.
    associatedtype Answer: Sendable

    /// How many values each feature position takes; the count is the number of features.
    var featureCardinalities: [Int] { get }

    /// How many answer classes there are.
    var answerClassCount: Int { get }

    /// The answer a learner gives when it does not know (for example, for a question it never saw).
    var unknownAnswer: Answer { get }

    /// Returns a question's features; element `i` lies in `0..<featureCardinalities[i]`.
    ///
    /// - Parameter question: The question to encode.
    func features(of question: Question) -> [Int]

    /// Returns an answer's class, or `nil` when the answer has none (it is then left out of training).
    ///
    /// - Parameter answer: The answer to encode.
    func answerClass(of answer: Answer) -> Int?

    /// Returns the answer of a class.
    ///
    /// - Parameter answerClass: A class in `0..<answerClassCount`.
    func answer(ofClass answerClass: Int) -> Answer
}
